import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@Suite struct SchemaMigrationTests {
    /// Every schema version older than the current one has a fixture made by `FixtureWriter`.
    static let fixtureVersions = Array(1..<Catalog.currentSchemaVersion)

    @Test(arguments: fixtureVersions)
    func fixtureOpensMigratesAndReadsBack(version: Int) throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("catalog")
        try copyFixture("schema-v\(version)", to: path)
        let expected = try String(contentsOfFile: "\(path)/expected.tsv", encoding: .utf8)
        let catalog = try Catalog.open(at: path, keySource: .keyFile(path: "\(path)/master.key"))
        #expect(catalog.schemaVersion == Catalog.currentSchemaVersion)
        for line in expected.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields[0] == "history" { continue }
            let connection = try #require(try catalog.read { reader in try reader.connection(named: name(fields[0])) })
            #expect(connection.type.rawValue == fields[1])
            #expect("\(connection.version)" == fields[2])
            let plain = connection.properties.keys.sorted().map { "\($0)=\(connection.properties[$0]!)" }
            #expect(plain.joined(separator: ";") == fields[3])
            for secret in fields[4].split(separator: ";") where !secret.isEmpty {
                let parts = secret.split(separator: "=", maxSplits: 1).map(String.init)
                let opened = try catalog.read { reader in
                    try reader.withSecret(PropertyKey(rawValue: parts[0]), of: connection) {
                        String(decoding: $0, as: UTF8.self)
                    }
                }
                #expect(opened == parts[1], "\(parts[0]) of \(fields[0])")
            }
            let externalID = try catalog.read { reader in try reader.externalID(of: connection) }
            #expect(externalID?.count == 16)
        }
        // The migrated catalog takes changes with history from now on.
        let altered = try catalog.writeBlocking { writer in
            try writer.alter(name("oss_logs"), .comment("after migration"))
        }
        #expect(
            try catalog.read { reader in try reader.history(of: altered.id).map(\.version) }.last == altered.version - 1
        )
    }

    @Test func migrationFailingHalfWayLeavesTheCatalogAsItWas() throws {
        struct Interrupted: Error {}
        let directory = TemporaryDirectory()
        let path = directory.appending("catalog")
        try copyFixture("schema-v1", to: path)
        let before = fileBytes("\(path)/data.mdb")
        var options = Catalog.Options()
        options.migrations =
            Array(SchemaHistory.migrations) + [
                Migration(version: SchemaHistory.currentVersion + 1, summary: "a migration that fails after writing") {
                    context in
                    try context.putMeta("half_done", [1])
                    try context.createDatabase("half_created")
                    throw Interrupted()
                }
            ]
        options.schemaVersion = SchemaHistory.currentVersion + 1
        #expect(throws: CatalogError.self) {
            try Catalog.open(at: path, keySource: .keyFile(path: "\(path)/master.key"), options: options)
        }
        #expect(fileBytes("\(path)/data.mdb") == before)
        // The untouched catalog still opens at version 1 and migrates normally.
        let catalog = try Catalog.open(at: path, keySource: .keyFile(path: "\(path)/master.key"))
        #expect(catalog.schemaVersion == Catalog.currentSchemaVersion)
    }

    @Test func catalogFromANewerProgramIsRefusedUnchanged() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("catalog")
        try copyFixture("schema-v1", to: path)
        // A newer program: one more migration than this one knows.
        var newer = Catalog.Options()
        newer.migrations =
            SchemaHistory.migrations + [
                Migration(version: SchemaHistory.currentVersion + 1, summary: "from the future") { context in
                    try context.createDatabase("future")
                }
            ]
        newer.schemaVersion = SchemaHistory.currentVersion + 1
        do {
            let future = try Catalog.open(at: path, keySource: .keyFile(path: "\(path)/master.key"), options: newer)
            #expect(future.schemaVersion == SchemaHistory.currentVersion + 1)
        }
        let before = fileBytes("\(path)/data.mdb")
        let error = try #require(throws: CatalogError.self) {
            try Catalog.open(at: path, keySource: .keyFile(path: "\(path)/master.key"))
        }
        #expect(error.code == .catalogTooNew)
        #expect(error.message.contains("schema version \(SchemaHistory.currentVersion + 1)"))
        #expect(error.message.contains("up to \(SchemaHistory.currentVersion)"))
        #expect(fileBytes("\(path)/data.mdb") == before)
    }

    @Test func wrongMasterKeyIsRefusedBeforeAnythingIsWritten() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("catalog")
        try copyFixture("schema-v1", to: path)
        let before = fileBytes("\(path)/data.mdb")
        let otherKey = directory.appending("other.key")
        let error = try #require(throws: CatalogError.self) {
            try Catalog.open(at: path, keySource: .keyFile(path: otherKey))
        }
        #expect(error.code == .wrongKey)
        #expect(fileBytes("\(path)/data.mdb") == before, "a wrong key must not migrate the catalog")
    }
}
