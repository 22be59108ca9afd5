import CatalogBackup
import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@Suite struct TransferTests {
    /// 100,000 connections out of one catalog and into an empty one with another master key: every connection
    /// reads back the same (fields, versions, times, external IDs and secrets).
    @Test func exportImportRoundTripsOneHundredThousandConnectionsUnderAnotherKey() throws {
        let source = TestCatalog()
        let catalog = try source.open()
        var clock = Date()
        try fill(catalog, count: 100_000, batch: 25_000)
        let fillSeconds = Date().timeIntervalSince(clock)
        let file = source.directory.appending("export.jsonl")
        clock = Date()
        let summary = try CatalogTransfer.export(catalog, to: file)
        let exportSeconds = Date().timeIntervalSince(clock)
        #expect(summary.connections == 100_000)

        let target = TestCatalog()
        let other = try target.open()
        #expect(other.catalogIDHex != catalog.catalogIDHex)
        clock = Date()
        let result = try CatalogTransfer.importFile(file, into: other, sourceMaster: try source.master())
        let importSeconds = Date().timeIntervalSince(clock)
        #expect(result.imported == 100_000)
        let expected = try describeAll(catalog)
        let actual = try describeAll(other)
        #expect(actual.count == 100_000)
        let differing = expected.filter { actual[$0.key] != $0.value }
        #expect(
            differing.isEmpty,
            "\(differing.count) connections differ, e.g. \(differing.first.map { "\($0.value)" } ?? "")")
        // Backup, verify and restore of the same 100k catalog, timed (debug build).
        let backup = source.directory.appending("backup")
        clock = Date()
        let manifest = try Backup.create(from: catalog, at: backup)
        let backupSeconds = Date().timeIntervalSince(clock)
        clock = Date()
        #expect(try Backup.verify(backup, master: try source.master()).isHealthy)
        let verifySeconds = Date().timeIntervalSince(clock)
        clock = Date()
        try Backup.restore(backup, to: source.directory.appending("restored"), master: try source.master())
        let restoreSeconds = Date().timeIntervalSince(clock)
        print(
            String(
                format: "100k: fill %.1f s, export %.2f s, import %.2f s (%d bytes); backup %.2f s, verify %.2f s, "
                    + "restore %.2f s (%d bytes)", fillSeconds, exportSeconds, importSeconds, summary.bytes,
                backupSeconds, verifySeconds, restoreSeconds, manifest.dataBytes))
    }

    /// Conflicts by id and by name, under each policy.
    @Test(arguments: ImportConflictPolicy.allCases)
    func eachConflictPolicyDoesWhatItSays(policy: ImportConflictPolicy) throws {
        let source = TestCatalog()
        let catalog = try source.open()
        try catalog.writeBlocking { writer in
            try writer.create(s3Storage("a", secret: "from-source-a"))
            try writer.create(s3Storage("b", secret: "from-source-b"))
            try writer.create(awsFunction("c"))
        }
        let file = source.directory.appending("export.jsonl")
        try CatalogTransfer.export(catalog, to: file)
        let exported = try describeAll(catalog)

        let target = TestCatalog()
        let other = try target.open()
        // `a` with the same id (imported earlier, then changed), `b` another connection of the same name.
        try CatalogTransfer.importFile(file, into: other, sourceMaster: try source.master())
        try other.writeBlocking { writer in
            try writer.drop(name("b"))
            try writer.drop(name("c"))
            try writer.alter(name("a"), .comment("changed in target"))
            try writer.create(s3Storage("b", secret: "target-b"))
        }
        let before = try describeAll(other)
        if policy == .fail {
            let error = try #require(throws: CatalogError.self) {
                try CatalogTransfer.importFile(file, into: other, sourceMaster: try source.master(), onConflict: .fail)
            }
            #expect(error.code == .conflict)
            #expect(try describeAll(other) == before, "all or nothing")
            return
        }
        let result = try CatalogTransfer.importFile(
            file, into: other, sourceMaster: try source.master(), onConflict: policy)
        let after = try describeAll(other)
        let byName = Dictionary(uniqueKeysWithValues: after.values.map { ($0.connection.name.rawValue, $0) })
        let sourceByName = Dictionary(uniqueKeysWithValues: exported.values.map { ($0.connection.name.rawValue, $0) })
        let targetByName = Dictionary(uniqueKeysWithValues: before.values.map { ($0.connection.name.rawValue, $0) })
        #expect(byName["c"] == sourceByName["c"], "c had no conflict")
        #expect(result.imported == 1)
        switch policy {
        case .skip:
            #expect(result.skipped == 2)
            #expect(byName["a"] == targetByName["a"])
            #expect(byName["b"] == targetByName["b"])
        case .replace:
            #expect(result.replaced == 2)
            #expect(byName["a"] == sourceByName["a"])
            #expect(byName["b"] == sourceByName["b"])
            #expect(after.count == 3)
        case .fail:
            break
        }
    }

    @Test func theSameCatalogsKeyIsTheDefaultAndAnotherKeyIsRefused() throws {
        let source = TestCatalog()
        let catalog = try source.open()
        try fill(catalog, count: 20)
        let file = source.directory.appending("export.jsonl")
        try CatalogTransfer.export(catalog, to: file)
        // Into a catalog restored from a backup of the source (same master key): no source key needed.
        let backup = source.directory.appending("backup")
        try Backup.create(from: catalog, at: backup)
        let restoredPath = source.directory.appending("restored")
        try Backup.restore(backup, to: restoredPath, master: try source.master())
        let restored = try Catalog.open(at: restoredPath, keySource: .keyFile(path: source.keyFile))
        try restored.writeBlocking { writer in
            for connection in try writer.connections() { try writer.drop(connection.name) }
        }
        try CatalogTransfer.importFile(file, into: restored)
        #expect(try describeAll(restored) == describeAll(catalog))

        let stranger = TestCatalog()
        let error = try #require(throws: CatalogError.self) {
            try CatalogTransfer.importFile(file, into: try stranger.open())
        }
        #expect(error.code == .wrongKey)
        #expect(error.message.contains("--source-key-file"))
    }

    @Test func aTamperedOrTruncatedExportIsRefusedAndNothingIsWritten() throws {
        let source = TestCatalog()
        let catalog = try source.open()
        try fill(catalog, count: 20)
        let file = source.directory.appending("export.jsonl")
        try CatalogTransfer.export(catalog, to: file)
        let original = fileBytes(file)
        let text = String(decoding: original, as: UTF8.self)
        let tampered = text.replacingOccurrences(of: "\"enabled\":true", with: "\"enabled\":false")
        let cases: [[UInt8]] = [
            Array(tampered.utf8), Array(original.prefix(original.count / 2)),
            Array(original.prefix(original.count - 1)),
            Array(text.split(separator: "\n").dropLast(2).joined(separator: "\n").utf8) + [0x0A]
                + Array(text.split(separator: "\n").last!.utf8) + [0x0A],
        ]
        let target = TestCatalog()
        let other = try target.open()
        for bytes in cases {
            _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
            let error = try #require(throws: CatalogError.self) {
                try CatalogTransfer.importFile(file, into: other, sourceMaster: try source.master())
            }
            #expect(error.code == .integrityError, "\(error)")
            #expect(try other.read { reader in try reader.count() } == 0)
        }
    }
}
