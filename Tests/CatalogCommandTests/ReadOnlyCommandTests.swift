import CatalogTestSupport
import Foundation
import Testing

/// Commands that only read never write the catalog: `stats` on an older schema reports it and migrates nothing.
@Suite struct ReadOnlyCommandTests {
    /// Copies `Tests/Fixtures/<name>` to `directory`, its key file made owner-only (git keeps 0644).
    func copyFixture(_ name: String, to directory: String) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(directory)/\(file)")
        }
        chmod("\(directory)/master.key", 0o600)
    }

    @Test func statsOnAnOlderSchemaLeavesTheDataFileUnchanged() throws {
        let home = CatalogHome()
        try copyFixture("schema-v1", to: home.path)
        let before = contents(of: home.dataFile)
        let run = try home.run(["stats", "--format", "json", "--key-file", "\(home.path)/master.key"])
        #expect(run.status == 0, "\(run.output)\(run.errorOutput)")
        let result = try #require(try run.outcome().resultSet)
        let stats = Dictionary(uniqueKeysWithValues: result.rows.map { ($0[0] ?? "", $0[1] ?? "") })
        #expect(stats["schema_version"] == "1")
        #expect(contents(of: home.dataFile) == before, "stats migrated or otherwise wrote the catalog")
        // A command that writes still migrates it, as before.
        let show = try home.run(["--format", "json", "--key-file", "\(home.path)/master.key", "-e", "SHOW CONNECTIONS"])
        #expect(show.status == 0)
        #expect(contents(of: home.dataFile) != before)
    }

    @Test func settingsListOnAnOlderSchemaLeavesTheDataFileUnchanged() throws {
        let home = CatalogHome()
        try copyFixture("schema-v1", to: home.path)
        let before = contents(of: home.dataFile)
        let run = try home.run(["settings", "--format", "json", "--key-file", "\(home.path)/master.key", "list"])
        #expect(run.status == 0, "\(run.output)\(run.errorOutput)")
        #expect(try run.outcome().resultSet != nil)
        #expect(contents(of: home.dataFile) == before, "settings list migrated or otherwise wrote the catalog")
    }
}
