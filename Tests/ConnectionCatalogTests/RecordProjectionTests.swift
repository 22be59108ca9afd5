import CatalogSealing
import ConnectionCatalog
import Testing

/// Every way of reading a record (full decode, listing summary, one-secret lookup, and verify's first pass) is a
/// projection of one walk, so each refuses the same damaged records, the decoders with the same code. The records
/// here carry correct checksums: what a bug in a writer, not a disk fault, would leave.
@Suite struct RecordProjectionTests {
    static let projectionNames = ["decode", "decodeSummary", "secret lookup", "re-seal"]

    /// The catalog the records belong to, and the sealer of their EXTERNAL_ID: verify's first pass opens it.
    static let catalogID = Array(UInt8(100)..<116)
    static let sealer = Sealer(keyring: Keyring.generate())
    /// The sealer a key rotation re-seals with: the same keys and a newer one.
    static let rotated = Sealer(keyring: sealer.keyring.rotated())
    static let recordID = Array(UInt8(0)..<16)
    /// A really sealed EXTERNAL_ID for the valid record's place (workspace `default`, id 0…15).
    static let externalID = sealer.seal(
        utf8: "Ab12Cd34Ef56Gh78",
        for: AdditionalData(
            catalogID: catalogID, workspace: "default", connectionID: recordID, fieldName: "EXTERNAL_ID")
    ).bytes

    /// What verify's first pass (`RecordScreen`) makes of `bytes`, stored once in `connections` under its id and
    /// once in `history` under its id and version 1: whether it found damage in each, and the values it opened.
    static func screen(_ bytes: [UInt8]) -> (current: Bool, history: Bool, sealedValues: Int) {
        let screen = RecordScreen(catalogID: catalogID, sealer: sealer)
        var current = RecordScreen.Tally()
        var history = RecordScreen.Tally()
        bytes.withUnsafeBytes { value in
            recordID.withUnsafeBytes { key in
                screen.screenRecord(key: key, value: value, isCurrent: true, into: &current)
            }
            (recordID + [0, 0, 0, 0, 0, 0, 0, 1]).withUnsafeBytes { key in
                screen.screenRecord(key: key, value: value, isCurrent: false, into: &history)
            }
        }
        return (current.damaged, history.damaged, current.sealedValues + history.sealedValues)
    }

    /// Requires verify's first pass to pass `bytes` as current and as history, opening its one sealed value each.
    static func expectTheScreenPasses(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let screened = screen(bytes)
        #expect(!screened.current && !screened.history, "verify's screen", sourceLocation: sourceLocation)
        #expect(screened.sealedValues == 2, "verify's screen opened each value", sourceLocation: sourceLocation)
    }

    /// Runs the projection `name` over `bytes`.
    static func read(_ bytes: [UInt8], with name: String) throws {
        try bytes.withUnsafeBytes { buffer in
            switch name {
            case "decode": _ = try ConnectionRecord.decode(buffer)
            case "decodeSummary": _ = try ConnectionRecord.decodeSummary(buffer)
            case "secret lookup": _ = try ConnectionRecord.locateSealedField(.externalID, in: buffer)
            default: _ = try resealed(bytes)
            }
        }
    }

    /// `bytes` as key rotation re-seals them, in place (`RecordResealing`).
    static func resealed(_ bytes: [UInt8]) throws -> [UInt8] {
        var record = bytes
        let nonces = RandomReservoir()
        try record.withUnsafeMutableBytes { record in
            try catalogID.withUnsafeBytes { catalogID in
                try RecordResealing.reseal(record, catalogID: catalogID, with: rotated, nonces: nonces)
            }
        }
        return record
    }

    /// The code each projection throws for `bytes` (`.some(nil)` for none).
    static func codes(for bytes: [UInt8]) -> [String: CatalogError.Code?] {
        var codes: [String: CatalogError.Code?] = [:]
        for name in projectionNames {
            do {
                try read(bytes, with: name)
                codes[name] = .some(nil)
            } catch let error as CatalogError {
                codes[name] = error.code
            } catch {
                Issue.record("\(name) threw \(error), not a CatalogError")
            }
        }
        return codes
    }

    /// Requires every projection to refuse `bytes` with `code`.
    static func expectEveryProjectionRefuses(
        _ bytes: [UInt8], with code: CatalogError.Code = .integrityError, _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (name, found) in codes(for: bytes) {
            #expect(found == code, "\(name): \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        }
        let screened = screen(bytes)
        #expect(
            screened.current && screened.history, "verify's screen: \(comment?.rawValue ?? "")",
            sourceLocation: sourceLocation)
    }

    // MARK: - Hand-built records

    typealias Field = (tag: UInt64, payload: [UInt8])

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            bytes.append(UInt8(value & 0x7F) | (value >= 0x80 ? 0x80 : 0))
            value >>= 7
        } while value != 0
        return bytes
    }

    static func entry(_ key: [UInt8], _ value: [UInt8]) -> [UInt8] { varint(UInt64(key.count)) + key + value }

    static func text(_ tag: UInt64, _ value: String) -> Field { (tag, Array(value.utf8)) }

    /// The fields of a valid CLOUD_FUNCTION record with one property and a sealed EXTERNAL_ID.
    static var validFields: [Field] {
        [
            (1, Array(0..<16)), text(2, "default"), text(3, "sales_fn"), text(4, "CLOUD_FUNCTION"),
            (5, entry(Array("REGION".utf8), Array("cn-hangzhou".utf8))),
            (6, entry(Array("EXTERNAL_ID".utf8), externalID)),
            (8, [1]), text(9, "bob"), (10, varint(2000)), (11, varint(2000)), (12, varint(1)),
        ]
    }

    /// A framed record: version 1, body length, body, CRC-32C of everything before it.
    static func record(_ fields: [Field]) -> [UInt8] {
        let body = fields.flatMap { varint($0.tag) + varint(UInt64($0.payload.count)) + $0.payload }
        var bytes: [UInt8] = [1] + (0..<4).map { UInt8(truncatingIfNeeded: body.count >> (8 * $0)) } + body
        let crc = RecordEncodingTests.bitwiseCRC32C(bytes[...])
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
        return bytes
    }

    static func replacing(_ tag: UInt64, with payload: [UInt8]) -> [Field] {
        validFields.map { $0.tag == tag ? (tag, payload) : $0 }
    }

    // MARK: - Tests

    @Test func theValidRecordPassesEveryProjection() throws {
        for (name, code) in Self.codes(for: Self.record(Self.validFields)) { #expect(code == .some(nil), "\(name)") }
        Self.expectTheScreenPasses(Self.record(Self.validFields))
        let parts = try Self.record(Self.validFields).withUnsafeBytes {
            try ConnectionRecord.locateSealedField(.externalID, in: $0)
        }
        #expect(parts.envelope?.count == Self.externalID.count)
        try Self.expectResealedUnderTheNewestKey(Self.record(Self.validFields))
    }

    /// Requires the re-sealed `bytes` to decode as the record did, its EXTERNAL_ID sealed with the newest key.
    static func expectResealedUnderTheNewestKey(
        _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let resealed = try resealed(bytes)
        let before = try ConnectionRecord.decode(bytes)
        let after = try ConnectionRecord.decode(resealed)
        #expect(after.name == before.name && after.properties == before.properties, sourceLocation: sourceLocation)
        let envelope = try SealedValue(bytes: try #require(after.sealedFields[.externalID]))
        #expect(envelope.keyID == rotated.keyring.newestKeyID, sourceLocation: sourceLocation)
        let place = AdditionalData(
            catalogID: catalogID, workspace: "default", connectionID: recordID, fieldName: "EXTERNAL_ID")
        #expect(
            try rotated.withOpened(envelope, for: place) { Array($0) } == Array("Ab12Cd34Ef56Gh78".utf8),
            sourceLocation: sourceLocation)
    }

    /// A sealed field written before the id and the workspace it is sealed for (no writer does) is opened all the
    /// same by verify's first pass, and read by every decoder.
    @Test func aSealedFieldBeforeTheIdentityPassesEveryProjection() throws {
        let fields = Self.validFields.filter { $0.tag == 6 } + Self.validFields.filter { $0.tag != 6 }
        for (name, code) in Self.codes(for: Self.record(fields)) { #expect(code == .some(nil), "\(name)") }
        Self.expectTheScreenPasses(Self.record(fields))
        try Self.expectResealedUnderTheNewestKey(Self.record(fields))
    }

    /// The decoders do not open sealed values; verify's first pass and key rotation do, so a value sealed for
    /// another place is damage to them alone (verify's detailed pass then names it).
    @Test func aSealedValueThatDoesNotOpenIsRefusedByTheProjectionsThatOpenIt() {
        let moved = Self.sealer.seal(
            utf8: "Ab12Cd34Ef56Gh78",
            for: AdditionalData(
                catalogID: Self.catalogID, workspace: "other", connectionID: Self.recordID, fieldName: "EXTERNAL_ID"))
        let bytes = Self.record(Self.replacing(6, with: Self.entry(Array("EXTERNAL_ID".utf8), moved.bytes)))
        for (name, code) in Self.codes(for: bytes) {
            let expected: CatalogError.Code?? = name == "re-seal" ? .some(.integrityError) : .some(nil)
            #expect(code == expected, "\(name)")
        }
        let screened = Self.screen(bytes)
        #expect(screened.current && screened.history)
    }

    struct Damage: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let fields: @Sendable () -> [Field]
        var code: CatalogError.Code = .integrityError
    }

    static let damages: [Damage] = [
        Damage(testDescription: "a second workspace") { validFields + [text(2, "other")] },
        Damage(testDescription: "a second id") { validFields + [(1, Array(16..<32))] },
        Damage(testDescription: "a field with tag 0") { validFields + [(0, [])] },
        Damage(testDescription: "the same property twice, in order") {
            validFields + [(5, entry(Array("REGION".utf8), Array("cn-shanghai".utf8)))]
        },
        Damage(testDescription: "the same property twice, out of order") {
            validFields + [(5, entry(Array("A".utf8), [])), (5, entry(Array("REGION".utf8), Array("x".utf8)))]
        },
        Damage(testDescription: "the same sealed field twice") {
            validFields + [(6, entry(Array("EXTERNAL_ID".utf8), [0x01]))]
        },
        Damage(testDescription: "an empty property key") { validFields + [(5, entry([], Array("v".utf8)))] },
        Damage(testDescription: "a property key that is not ASCII") {
            validFields + [(5, entry(Array("RÉGION".utf8), []))]
        },
        Damage(testDescription: "a property value that is not UTF-8") {
            validFields + [(5, entry(Array("ZONE".utf8), [0xC3, 0x20]))]
        },
        Damage(testDescription: "a comment that is not UTF-8") { validFields + [(7, [0xE5, 0x87, 0x20])] },
        Damage(testDescription: "a creator that is not UTF-8") { replacing(9, with: [0xFF]) },
        Damage(testDescription: "an id of 15 bytes") { replacing(1, with: Array(0..<15)) },
        Damage(testDescription: "a name that breaks the identifier rules") {
            replacing(3, with: Array("bad-name".utf8))
        },
        Damage(testDescription: "an empty workspace") { replacing(2, with: []) },
        Damage(testDescription: "an enabled byte of 2") { replacing(8, with: [2]) },
        Damage(testDescription: "a version with trailing bytes") { replacing(12, with: [1, 0]) },
        Damage(testDescription: "a varint that never ends") { replacing(10, with: [0x80, 0x80]) },
        Damage(testDescription: "no id") { validFields.filter { $0.tag != 1 } },
        Damage(testDescription: "no version") { validFields.filter { $0.tag != 12 } },
        Damage(testDescription: "no workspace") { validFields.filter { $0.tag != 2 } },
        Damage(
            testDescription: "a type from a newer program", fields: { replacing(4, with: Array("CLOUD_QUEUE".utf8)) },
            code: .catalogTooNew),
    ]

    @Test(arguments: damages)
    func everyProjectionRefusesTheSameDamage(_ damage: Damage) {
        Self.expectEveryProjectionRefuses(Self.record(damage.fields()), with: damage.code)
    }

    /// Fields this program does not know, and entries written out of order, are no damage for any projection.
    @Test func unknownFieldsAndUnsortedKeysPassEveryProjection() throws {
        let fields = Self.validFields + [(40, [1, 2, 3]), (5, Self.entry(Array("APP".utf8), Array("x".utf8)))]
        for (name, code) in Self.codes(for: Self.record(fields)) { #expect(code == .some(nil), "\(name)") }
        Self.expectTheScreenPasses(Self.record(fields))
        try Self.expectResealedUnderTheNewestKey(Self.record(fields))
        #expect(try ConnectionRecord.decode(Self.resealed(Self.record(fields))).unknownFields.map(\.tag) == [40])
    }

    @Test func frameDamageIsRefusedByEveryProjection() throws {
        let bytes = Self.record(Self.validFields)
        for cut in 0..<bytes.count { Self.expectEveryProjectionRefuses(Array(bytes[..<cut]), "cut at \(cut)") }
        Self.expectEveryProjectionRefuses(bytes + [0], "a trailing byte")
        var version0 = bytes
        version0[0] = 0
        Self.expectEveryProjectionRefuses(version0, "version 0")
        var newer = bytes
        newer[0] = ConnectionRecord.encodingVersion + 1
        Self.expectEveryProjectionRefuses(newer, with: .catalogTooNew, "a newer encoding version")
        for index in bytes.indices {
            for bit in 0..<8 {
                var garbled = bytes
                garbled[index] ^= 1 << bit
                let codes = Self.codes(for: garbled)
                #expect(Set(codes.values.map { $0 }).count == 1, "byte \(index) bit \(bit): \(codes)")
                #expect(
                    codes.values.allSatisfy { $0 == .integrityError || $0 == .catalogTooNew },
                    "byte \(index) bit \(bit)")
                let screened = Self.screen(garbled)
                #expect(screened.current && screened.history, "verify's screen: byte \(index) bit \(bit)")
            }
        }
    }
}
