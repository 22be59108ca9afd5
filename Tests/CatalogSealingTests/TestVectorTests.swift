import CatalogSealing
import Foundation
import Testing

/// The vector documented in docs/sealing.md; any libsodium binding must open it.
@Suite struct TestVectorTests {
    static let dataKey: [UInt8] = Array(0x80...0x9f)
    static let keyID: UInt32 = 7
    static let nonce: [UInt8] = Array(0x40...0x57)
    static let place = AdditionalData(
        catalogID: Array(0x00...0x0f), workspace: "default", connectionID: Array(0x10...0x1f),
        fieldName: "SECRET_ACCESS_KEY")
    static let plaintext = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let expectedAdditionalData =
        "01000102030405060708090a0b0c0d0e0f0000000764656661756c74101112131415161718191a1b1c1d1e1f"
        + "000000115345435245545f4143434553535f4b4559"
    static let expectedEnvelope =
        "0100000007404142434445464748494a4b4c4d4e4f50515253545556578646129829a8a12e9554329ebf81d6627f033720"
        + "426bfebcb2e89365010c4890417140316e26da24508ec3b57f441a7814ae5e78ba846565"

    static var sealer: Sealer {
        Sealer(keyring: Keyring(dataKeys: [keyID: SecretBytes(copying: dataKey)]))
    }

    @Test func additionalDataEncodingMatchesTheDocument() {
        #expect(Hex.encode(Self.place.encoded) == Self.expectedAdditionalData)
    }

    @Test func sealingWithTheDocumentedNonceGivesTheDocumentedEnvelope() {
        var text = Self.plaintext
        let sealed = text.withUTF8 {
            Self.sealer.seal(UnsafeRawBufferPointer($0), for: Self.place, keyID: Self.keyID, nonce: Self.nonce)
        }
        print("test vector envelope: \(Hex.encode(sealed.bytes))")
        #expect(Hex.encode(sealed.bytes) == Self.expectedEnvelope)
    }

    @Test func documentedEnvelopeOpensToThePlaintext() throws {
        let value = try SealedValue(bytes: Hex.decode(Self.expectedEnvelope))
        #expect(value.keyID == Self.keyID)
        let opened = try Self.sealer.open(value, for: Self.place)
        let text = opened.withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(text == Self.plaintext)
    }

    @Test func documentShowsTheSameVector() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/sealing.md")
        let text = try String(contentsOf: docs, encoding: .utf8).replacingOccurrences(of: "\n", with: "")
        #expect(text.contains(Self.expectedEnvelope))
        #expect(text.contains(Self.expectedAdditionalData))
    }
}
