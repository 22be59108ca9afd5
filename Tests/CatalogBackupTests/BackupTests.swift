import CatalogBackup
import CatalogSealing
import CatalogStorage
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@Suite struct BackupTests {
    /// A second process commits one connection per transaction (and a counter in the same transaction) while the
    /// backup runs: the backup verifies and holds exactly the catalog as of one of the writer's commits.
    @Test func backupUnderAConcurrentWriterHoldsOneCommitPoint() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try fill(catalog, count: 200, prefix: "base")
        let writer = try HelperProcess("CatalogTestHelper", ["create-loop", home.path, home.keyFile, "1000000"])
        defer { writer.kill() }
        func committed() -> Int {
            writer.outputLines.compactMap { $0.hasPrefix("committed ") ? Int($0.dropFirst(10)) : nil }.max() ?? 0
        }
        #expect(writer.waitForLine { $0 == "committed 20" }, "writer did not start: \(writer.output)")
        let before = committed()
        let destination = home.directory.appending("backup")
        let manifest = try Backup.create(from: catalog, at: destination)
        let after = committed()
        #expect(
            writer.waitForLine { $0 == "committed \(after + 5)" }, "the writer kept going during and after the backup")
        writer.kill()

        let report = try Backup.verify(destination, master: try home.master())
        #expect(report.isHealthy, "\(report.problems)")
        let copy = try Catalog.openSnapshotFile(at: "\(destination)/data.mdb", master: try home.master())
        let connections = try copy.read { reader in try reader.connections() }
        let loop = connections.filter { $0.name.rawValue.hasPrefix("w_") }.map { Int($0.name.rawValue.dropFirst(2))! }
            .sorted()
        let point = loop.count
        #expect(loop == Array(1...max(point, 1)).prefix(point).map { $0 }, "w_1 … w_K with no gap")
        let counter = try #require(connections.first { $0.name.rawValue == "counter" })
        #expect(counter.comment == "\(point)", "the counter was written in the same commit as w_\(point)")
        #expect(point >= before && point <= after + 1, "commit point \(point) within [\(before), \(after + 1)]")
        #expect(manifest.records.connections == connections.count)
        #expect(manifest.records.connections == 200 + 1 + point)
    }

    @Test func backupFilesAreOwnerOnlyAndTheDestinationIsNeverOverwritten() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try fill(catalog, count: 10)
        let destination = home.directory.appending("backup")
        let manifest = try Backup.create(from: catalog, at: destination)
        for file in ["", "/data.mdb", "/manifest.json"] {
            var info = stat()
            #expect(stat(destination + file, &info) == 0)
            #expect(info.st_mode & 0o077 == 0, "\(file) is owner-only")
        }
        #expect(manifest.schemaVersion == Catalog.currentSchemaVersion)
        #expect(manifest.catalogID == catalog.catalogIDHex)
        #expect(manifest.records.connections == 10)
        #expect(manifest.dataKeys.map(\.id) == [1])
        let error = try #require(throws: CatalogError.self) { try Backup.create(from: catalog, at: destination) }
        #expect(error.code == .alreadyExists)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.directory.path).filter {
            $0.contains(".partial-")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func noPlaintextSecretInABackupManifestOrExport() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        let secrets = (0..<5).map { _ in PlantedSecret() }
        try catalog.writeBlocking { writer in
            for (index, secret) in secrets.enumerated() {
                try writer.create(s3Storage("planted_\(index)", secret: secret.value))
            }
            try writer.alter(name("planted_0"), .set([("SECRET_ACCESS_KEY", secrets[1].value)]))
        }
        let destination = home.directory.appending("backup")
        try Backup.create(from: catalog, at: destination)
        let export = home.directory.appending("export.jsonl")
        try CatalogTransfer.export(catalog, to: export)
        let scanner = SecretScanner(secrets: secrets)
        #expect(try scanner.findings(inDirectory: destination).isEmpty)
        #expect(try scanner.findings(inFileAt: export).isEmpty)
        // The secrets are there, sealed: the backup opens them.
        let copy = try Catalog.openSnapshotFile(at: "\(destination)/data.mdb", master: try home.master())
        let opened = try copy.read { reader in
            try reader.withSecret(
                PropertyKey(rawValue: "SECRET_ACCESS_KEY"), of: try reader.connection(named: name("planted_3"))!
            ) {
                String(decoding: $0, as: UTF8.self)
            }
        }
        #expect(opened == secrets[3].value)
    }

    /// A record damaged in the catalog itself is carried into a backup that passes its checksum; verify names it.
    @Test func verifyReportsADamagedRecordByConnectionName() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try fill(catalog, count: 6)
        let victim = try #require(try catalog.read { reader in try reader.connection(named: name("c_2")) })
        var damaged = victim
        var envelope = damaged.sealedFields[.externalID]!
        envelope[envelope.count - 1] ^= 0x01
        damaged.sealedFields[.externalID] = envelope
        // Reach under the catalog: the same environment, written directly.
        let environment = try Environment.open(at: home.path)
        let connections = try environment.database("connections")
        try environment.writeBlocking { tx in
            try tx.put(ConnectionRecord.encode(damaged), for: try RecordKey(victim.id.bytes), in: connections)
        }
        let destination = home.directory.appending("backup")
        try Backup.create(from: catalog, at: destination)
        let report = try Backup.verify(destination, master: try home.master())
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.connection == "default.c_2")
        #expect(problem.database == "connections")
        #expect(problem.message.contains("EXTERNAL_ID"))
        // And restore refuses it, leaving nothing behind.
        let target = home.directory.appending("restored")
        let error = try #require(throws: CatalogError.self) {
            try Backup.restore(destination, to: target, master: try home.master())
        }
        #expect(error.code == .integrityError)
        #expect(error.message.contains("c_2"))
        #expect(!fileExists(target))
    }
}
