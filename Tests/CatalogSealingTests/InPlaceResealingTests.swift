import CatalogSealing
import Testing

/// `Sealer.resealInPlace`, key rotation's re-seal: the same plaintext under the newest key and a fresh nonce, in
/// the envelope's own bytes; an envelope that does not open is left as it was.
@Suite struct InPlaceResealingTests {
    let older = Keyring.generate()

    /// Re-seals `envelope` in place for `Fixture.place(field:)`'s parts with `sealer`.
    static func reseal(
        _ envelope: inout [UInt8], field: String = "SECRET_ACCESS_KEY", with sealer: Sealer,
        nonces: RandomReservoir
    ) throws {
        // The parts of the place side by side in one buffer: catalog id, connection id, workspace, field name.
        let parts = Fixture.catalogID + Fixture.connectionID + Array("default".utf8) + Array(field.utf8)
        try envelope.withUnsafeMutableBytes { envelope in
            try parts.withUnsafeBytes { parts in
                let part = { (range: Range<Int>) in UnsafeRawBufferPointer(rebasing: parts[range]) }
                try sealer.resealInPlace(
                    envelope: envelope, catalogID: part(0..<16), workspace: part(32..<39), connectionID: part(16..<32),
                    fieldName: part(39..<parts.count), nonces: nonces)
            }
        }
    }

    @Test(arguments: [0, 16, 300])
    func aResealedValueOpensToTheSamePlaintextUnderTheNewestKey(length: Int) throws {
        let plaintext = SecureRandom.bytes(count: length)
        let old = Sealer(keyring: older).seal(plaintext, for: Fixture.place())
        let newer = Sealer(keyring: older.rotated())
        // A small reservoir, so that the loop below draws more than one batch.
        let nonces = RandomReservoir(blockSize: 48)
        var nonceSeen = Set<[UInt8]>()
        for _ in 0..<5 {
            var envelope = old.bytes
            try Self.reseal(&envelope, with: newer, nonces: nonces)
            let resealed = try SealedValue(bytes: envelope)
            #expect(envelope.count == old.bytes.count)
            #expect(resealed.keyID == newer.keyring.newestKeyID && resealed.keyID != old.keyID)
            #expect(try newer.withOpened(resealed, for: Fixture.place()) { Array($0) } == plaintext)
            nonceSeen.insert(Array(envelope[5..<29]))
        }
        #expect(nonceSeen.count == 5, "every re-seal takes a nonce of its own")
    }

    @Test func anEnvelopeThatDoesNotOpenIsLeftUnchanged() throws {
        let sealer = Sealer(keyring: older.rotated())
        let nonces = RandomReservoir()
        // Sealed for another field: its additional data does not match the place it is re-sealed for.
        let other = sealer.seal(Array("secret".utf8), for: Fixture.place(field: "ACCESS_KEY"))
        var envelope = other.bytes
        let error = Fixture.sealingError { try Self.reseal(&envelope, with: sealer, nonces: nonces) }
        #expect(error?.reason == .authenticationFailed)
        #expect(envelope == other.bytes)
        var truncated = Array(other.bytes.prefix(SealedValue.minimumLength - 1))
        let cut = Fixture.sealingError { try Self.reseal(&truncated, with: sealer, nonces: nonces) }
        #expect(cut?.reason == .truncated)
    }
}
