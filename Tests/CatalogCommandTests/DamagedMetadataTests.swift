import CatalogTestSupport
import Foundation
import Testing

/// A catalog whose metadata is damaged is never initialised again: every command reports `integrity_error`,
/// says how to recover, and writes nothing (DESIGN §4, STYLE "Never initialise over data").
@Suite struct DamagedMetadataTests {
    /// The EXTERNAL_ID DESC shows for each connection.
    func externalIDs(_ home: CatalogHome) throws -> [String] {
        try ["fc", "lake"].map { try #require(home.describe($0)["EXTERNAL_ID"] ?? nil) }
    }

    /// Runs commands that open the catalog (even read-only ones) and checks each refuses without writing.
    func expectRefusedUnchanged(_ home: CatalogHome, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let data = contents(of: home.dataFile)
        let key = contents(of: home.keyFile)
        for arguments in [
            ["stats", "--format", "json"], ["--format", "json", "-e", "SHOW CONNECTIONS"],
            ["init", "--format", "json"],
        ] {
            let run = try home.run(arguments)
            #expect(run.status == 1, "\(arguments): \(run.output)", sourceLocation: sourceLocation)
            guard case .error(let code, let message, _, _) = try run.outcome(sourceLocation: sourceLocation) else {
                Issue.record("\(arguments) did not fail: \(run.output)", sourceLocation: sourceLocation)
                continue
            }
            #expect(code == "integrity_error", sourceLocation: sourceLocation)
            #expect(message.contains("nothing was written"), "\(message)", sourceLocation: sourceLocation)
            #expect(message.contains("catalog restore"), "\(message)", sourceLocation: sourceLocation)
            #expect(
                message.contains("catalog salvage --path \(home.path) --to NEW_PATH"), "\(message)",
                sourceLocation: sourceLocation)
            #expect(
                contents(of: home.dataFile) == data, "\(arguments) changed data.mdb", sourceLocation: sourceLocation)
            #expect(
                contents(of: home.keyFile) == key, "\(arguments) changed the key file", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["schema_version", "catalog_id", "keyring", "check_value"])
    func aMissingMetaRecordIsAnIntegrityErrorAndTheCatalogSurvives(record: String) throws {
        let home = CatalogHome()
        try home.sql([SQLFixture.api("fc"), SQLFixture.s3("lake")].joined(separator: ";"))
        let before = try externalIDs(home)
        let removed = try #require(try MetaRecords.remove(record, from: home.path))
        try expectRefusedUnchanged(home)
        // Nothing was lost: with the record back, the real key opens the catalog and the secrets are the same.
        try MetaRecords.put(record, removed, into: home.path)
        #expect(try externalIDs(home) == before)
        #expect(try home.names() == ["fc", "lake"])
    }

    @Test func anEmptiedMetaDatabaseIsAnIntegrityError() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fc"))
        try MetaRecords.removeAll(from: home.path)
        try expectRefusedUnchanged(home)
    }
}
