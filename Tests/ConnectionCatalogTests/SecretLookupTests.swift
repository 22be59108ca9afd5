import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

/// The lookup of one secret straight from the stored record (`externalID(ofConnectionNamed:in:)`,
/// `withSecret(_:ofConnectionNamed:in:_:)`) agrees with decoding the whole record, and refuses what the whole
/// decode refuses about the parts it reads.
@Suite struct SecretLookupTests {
    @Test func agreesWithTheDecodedConnectionInEveryWorkspaceAndAfterARename() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        let other = try WorkspaceName("team_b")
        try catalog.writeBlocking { writer in
            for index in 0..<20 {
                try writer.create(awsFunction("fn_\(index)"))
                var draft = awsFunction("fn_\(index)")
                draft.workspace = other
                try writer.create(draft)
            }
            try writer.create(s3Storage("lake", secret: "s3cr3t/value+with=symbols"))
            try writer.rename(name("fn_3"), to: name("renamed"))
        }
        try catalog.read { reader in
            for workspace in [WorkspaceName.default, other] {
                for text in (0..<20).map({ "fn_\($0)" }) + ["renamed"] {
                    guard let connection = try reader.connection(named: name(text), in: workspace) else { continue }
                    let direct = try reader.externalID(ofConnectionNamed: name(text), in: workspace)
                    let decoded = try reader.externalID(of: connection)
                    #expect(direct != nil && direct == decoded, "\(text)")
                }
            }
            let oldName = try reader.externalID(ofConnectionNamed: name("fn_3"))
            let missing = try reader.externalID(ofConnectionNamed: name("missing"))
            #expect(oldName == nil && missing == nil, "the old name is gone, the missing one never was")
            let secret = try reader.withSecret(.secretAccessKey, ofConnectionNamed: name("lake")) {
                String(decoding: $0, as: UTF8.self)
            }
            #expect(secret == "s3cr3t/value+with=symbols")
            let noSuchField = try reader.withSecret(.secretAccessKey, ofConnectionNamed: name("fn_0")) { _ in true }
            #expect(noSuchField == nil)
        }
    }

    @Test func anEnvelopeMovedToAnotherRecordDoesNotOpen() throws {
        let test = TestCatalog()
        let (first, second) = try {
            let catalog = try test.open()
            return try catalog.writeBlocking { writer in
                (
                    try writer.create(awsFunction("first")).connection,
                    try writer.create(awsFunction("second")).connection
                )
            }
        }()
        // Give `first` the envelope of `second`, under a correct checksum: only the sealing can tell.
        var moved = first
        moved.sealedFields[.externalID] = second.sealedFields[.externalID]
        try replaceStoredRecord(of: first, with: moved, in: test)

        let catalog = try test.open()
        try catalog.read { reader in
            for lookup in lookups(of: "first", in: reader) {
                let error = try #require(throws: CatalogError.self) { try lookup() }
                #expect(error.code == .integrityError)
                #expect(error.details["reason"] == SealingError.Reason.authenticationFailed.rawValue)
                let secondID = try #require(try reader.externalID(ofConnectionNamed: name("second")))
                #expect(!error.message.contains(secondID))
            }
        }
    }

    @Test func aDamagedRecordIsRefusedByItsChecksum() throws {
        let test = TestCatalog()
        let connection = try {
            let catalog = try test.open()
            return try catalog.writeBlocking { writer in try writer.create(awsFunction("victim")).connection }
        }()
        var stored = ConnectionRecord.encode(connection)
        let creator = try #require(stored.firstRange(of: Array("tester".utf8)))
        stored[creator.lowerBound] ^= 0x01  // a field the secret lookup never reads
        try patchDataFile(of: test, replacing: ConnectionRecord.encode(connection), with: stored)

        let catalog = try test.open()
        try catalog.read { reader in
            let error = try #require(throws: CatalogError.self) {
                try reader.externalID(ofConnectionNamed: name("victim"))
            }
            #expect(error.code == .integrityError)
            #expect(error.message.contains("checksum mismatch"))
        }
    }

    /// The two ways to read a connection's external ID.
    private func lookups(of text: String, in reader: CatalogReader) -> [() throws -> String?] {
        [
            { try reader.externalID(ofConnectionNamed: name(text)) },
            { try reader.connection(named: name(text)).flatMap { try reader.externalID(of: $0) } },
        ]
    }

    /// Rewrites a record in the closed catalog's data file (encodings are deterministic, so the stored bytes
    /// are found by encoding the connection; the replacement must be as long).
    private func replaceStoredRecord(
        of connection: Connection, with replacement: Connection, in test: TestCatalog
    )
        throws
    {
        try patchDataFile(
            of: test, replacing: ConnectionRecord.encode(connection), with: ConnectionRecord.encode(replacement))
    }

    private func patchDataFile(of test: TestCatalog, replacing old: [UInt8], with new: [UInt8]) throws {
        precondition(old.count == new.count, "a patch keeps the record's length")
        let path = test.path + "/data.mdb"
        var bytes = try #require(fileBytes(path))
        let range = try #require(bytes.firstRange(of: old), "the record is in the data file")
        bytes.replaceSubrange(range, with: new)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
