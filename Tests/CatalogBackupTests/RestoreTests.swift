import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@testable import CatalogBackup

@Suite struct RestoreTests {
    @Test func aRestoredCatalogEqualsTheOriginal() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        let analytics = try WorkspaceName("analytics")
        try fill(catalog, count: 300)
        try catalog.writeBlocking { writer in
            try writer.create(s3Storage("other_space", secret: "s", workspace: analytics))
            try writer.rename(name("c_3"), to: name("renamed"))
            try writer.rotateExternalID(of: name("c_5"))
            try writer.drop(name("c_9"))
        }
        try catalog.setSetting("trust.aws.principal", to: "arn:aws:iam::111122223333:root")
        let backup = home.directory.appending("backup")
        try Backup.create(from: catalog, at: backup)
        let target = home.directory.appending("restored")
        let report = try Backup.restore(backup, to: target, master: try home.master())
        #expect(!report.replacedExisting)
        #expect(report.migratedFrom == nil)
        let restored = try Catalog.open(at: target, keySource: .keyFile(path: home.keyFile))
        #expect(restored.catalogIDHex == catalog.catalogIDHex)
        #expect(
            try describeAll(restored, workspaces: [.default, analytics])
                == describeAll(catalog, workspaces: [.default, analytics]))
        let id = try #require(try catalog.read { reader in try reader.connection(named: name("c_5"))?.id })
        #expect(
            try restored.read { reader in try reader.history(of: id) }
                == catalog.read { reader in try reader.history(of: id) })
        #expect(try restored.setting("trust.aws.principal") == "arn:aws:iam::111122223333:root")
        #expect(try restored.stats().historyVersions == catalog.stats().historyVersions)
        // The restored catalog takes writes.
        try restored.writeBlocking { writer in try writer.create(awsFunction("after_restore")) }
        var info = stat()
        #expect(stat(target, &info) == 0 && info.st_mode & 0o077 == 0)
    }

    @Test func anExistingCatalogIsReplacedOnlyWithForce() throws {
        let home = TestCatalog()
        let backup = home.directory.appending("backup")
        do {
            let catalog = try home.open()
            try fill(catalog, count: 5, prefix: "new")
            try Backup.create(from: catalog, at: backup)
        }
        let target = home.directory.appending("target")
        do {
            let other = try Catalog.open(at: target, keySource: .keyFile(path: home.keyFile))
            try fill(other, count: 5, prefix: "old")
        }
        let error = try #require(throws: CatalogError.self) {
            try Backup.restore(backup, to: target, master: try home.master())
        }
        #expect(error.code == .alreadyExists)
        #expect(error.details["reason"] == "exists")
        #expect(error.message.contains("--force"))
        let report = try Backup.restore(backup, to: target, master: try home.master(), force: true)
        #expect(report.replacedExisting)
        let restored = try Catalog.open(at: target, keySource: .keyFile(path: home.keyFile))
        #expect(
            try restored.read { reader in try reader.connections().map(\.name.rawValue) }.allSatisfy {
                $0.hasPrefix("new_")
            })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.directory.path).filter {
            $0.contains(".restoring-")
        }
        #expect(leftovers.isEmpty, "the old catalog is removed")
    }

    /// Restoring onto the backup's own directory (or one above it) would swap the backup away: refused, even
    /// with --force, and the backup still verifies afterwards.
    @Test func aTargetThatIsOrHoldsTheBackupIsRefusedEvenWithForce() throws {
        let home = TestCatalog()
        let backup = home.directory.appending("backups/nightly")
        try FileManager.default.createDirectory(
            atPath: home.directory.appending("backups"), withIntermediateDirectories: false)
        do {
            let catalog = try home.open()
            try fill(catalog, count: 3)
            try Backup.create(from: catalog, at: backup)
        }
        // The backup directory itself (through a symbolic link too), and the directory holding it.
        try FileManager.default.createSymbolicLink(
            atPath: home.directory.appending("link"), withDestinationPath: backup)
        for target in [backup, "\(backup)/", home.directory.appending("link"), home.directory.appending("backups")] {
            let error = try #require(throws: CatalogError.self) {
                try Backup.restore(backup, to: target, master: try home.master(), force: true)
            }
            #expect(error.code == .invalidValue, "\(target): \(error)")
            #expect(error.details["reason"] == "target_holds_backup")
            #expect(error.message.contains("another --path"))
        }
        #expect(try Backup.verify(backup, master: try home.master()).isHealthy)
        // Through the binary: exit 1, the backup intact.
        let run = try runCatalog(
            ["restore", "--path", backup, "--key-file", home.keyFile, backup, "--force", "--format", "json"],
            home: home.directory.path)
        #expect(run.status == 1)
        #expect(run.output.contains("\"code\": \"invalid_value\""), "\(run.output)")
        #expect(try Backup.verify(backup, master: try home.master()).isHealthy)
    }

    /// A catalog another process has open is never replaced, with or without --force; nor one open here.
    @Test func aLiveCatalogIsNotReplacedEvenWithForce() throws {
        let home = TestCatalog()
        let backup = home.directory.appending("backup")
        let catalog = try home.open()
        try fill(catalog, count: 3)
        try Backup.create(from: catalog, at: backup)
        let here = try #require(throws: CatalogError.self) {
            try Backup.restore(backup, to: home.path, master: try home.master(), force: true)
        }
        #expect(here.code == .alreadyExists)
        #expect(here.details["reason"] == "in_use")

        let target = home.directory.appending("live")
        try Backup.restore(backup, to: target, master: try home.master())
        let holder = try HelperProcess("CatalogTestHelper", ["hold", target, home.keyFile])
        defer { holder.kill() }
        #expect(holder.waitForLine { $0 == "open" })
        let before = fileBytes("\(target)/data.mdb")
        for force in [false, true] {
            let error = try #require(throws: CatalogError.self) {
                try Backup.restore(backup, to: target, master: try home.master(), force: force)
            }
            #expect(error.code == .alreadyExists)
            #expect(error.details["reason"] == "in_use")
            #expect(error.details["pid"] == "\(holder.process.processIdentifier)")
        }
        #expect(fileBytes("\(target)/data.mdb") == before)
        holder.kill()
        try Backup.restore(backup, to: target, master: try home.master(), force: true)
    }

    /// A process that has the catalog open still counts as using it after someone deleted its lock.mdb: its lock
    /// on data.mdb says so, and --force does not replace the catalog under it.
    @Test func aLiveCatalogWhoseLockFileWasDeletedIsNotReplaced() throws {
        let home = TestCatalog()
        let backup = home.directory.appending("backup")
        let catalog = try home.open()
        try fill(catalog, count: 3)
        try Backup.create(from: catalog, at: backup)
        let target = home.directory.appending("live")
        try Backup.restore(backup, to: target, master: try home.master())
        let holder = try HelperProcess("CatalogTestHelper", ["hold", target, home.keyFile])
        defer { holder.kill() }
        #expect(holder.waitForLine { $0 == "open" })
        try FileManager.default.removeItem(atPath: "\(target)/lock.mdb")
        let before = fileBytes("\(target)/data.mdb")
        let error = try #require(throws: CatalogError.self) {
            try Backup.restore(backup, to: target, master: try home.master(), force: true)
        }
        #expect(error.code == .alreadyExists && error.details["reason"] == "in_use")
        #expect(error.message.contains("another process"))
        #expect(fileBytes("\(target)/data.mdb") == before)
    }

    /// `catalog restore --force` killed by a fail point just before the swap leaves the old catalog, and just
    /// after it the new one, each several times; never a mix. A later restore cleans up what a killed one left.
    @Test func killingRestoreBeforeOrAfterTheSwapLeavesTheOldCatalogOrTheNewOne() throws {
        let home = TestCatalog()
        let newBackup = home.directory.appending("new-backup")
        let oldBackup = home.directory.appending("old-backup")
        do {
            let catalog = try home.open()
            try fill(catalog, count: 400, prefix: "new")
            try Backup.create(from: catalog, at: newBackup)
            try catalog.writeBlocking { writer in
                for connection in try writer.connections() { try writer.drop(connection.name) }
            }
            try fill(catalog, count: 300, prefix: "old")
            try Backup.create(from: catalog, at: oldBackup)
        }
        let target = home.directory.appending("target")
        let master = try home.master()
        func state() throws -> String {
            let catalog = try Catalog.open(at: target, keySource: .keyFile(path: home.keyFile))
            let names = try catalog.read { reader in try reader.connections().map(\.name.rawValue) }
            let problems = try catalog.verifyRecords()
            #expect(problems.isEmpty, "\(problems)")
            if names.count == 400 && names.allSatisfy({ $0.hasPrefix("new_") }) { return "new" }
            if names.count == 300 && names.allSatisfy({ $0.hasPrefix("old_") }) { return "old" }
            return "mixed: \(names.count) names"
        }
        func restore(killedAt point: String?) throws -> HelperProcess {
            var environment = ["HOME": home.directory.path, "PATH": "/usr/bin:/bin"]
            environment["CATALOG_FAILPOINT"] = point
            return try HelperProcess(
                "catalog", ["restore", "--path", target, "--key-file", home.keyFile, newBackup, "--force"],
                environment: environment)
        }
        try Backup.restore(oldBackup, to: target, master: master)
        for (point, expected) in [("restore-before-swap", "old"), ("restore-after-swap", "new")] {
            for _ in 0..<3 {
                if try state() != "old" { try Backup.restore(oldBackup, to: target, master: master, force: true) }
                let process = try restore(killedAt: point)
                // Only the fail point sends SIGKILL: dying by it says the kill landed there.
                let status = process.waitForExit()
                #expect(
                    process.process.terminationReason == .uncaughtSignal && status == SIGKILL,
                    "\(point): \(process.errorOutput)")
                #expect(try state() == expected, "killed at \(point)")
            }
        }
        // A later restore cleans up what the killed ones left beside the target.
        try Backup.restore(newBackup, to: target, master: master, force: true)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.directory.path).filter {
            $0.contains(".restoring-")
        }
        #expect(leftovers.isEmpty)
        #expect(try state() == "new")
    }

    /// A backup of a schema-1 catalog (the committed fixture, backed up without migrating) restores and migrates.
    @Test func aBackupOfAnOlderSchemaRestoresAndMigrates() throws {
        let directory = TemporaryDirectory("catalog-backup")
        let source = directory.appending("v1")
        try copyFixture("schema-v1", to: source)
        let keyFile = "\(source)/master.key"
        let backup = directory.appending("backup")
        do {
            var options = Catalog.Options()
            options.schemaVersion = 1
            options.mustExist = true
            let old = try Catalog.open(at: source, keySource: .keyFile(path: keyFile), options: options)
            #expect(old.schemaVersion == 1)
            let manifest = try Backup.create(from: old, at: backup)
            #expect(manifest.schemaVersion == 1)
        }
        let master = try MasterKeySource.keyFile(path: keyFile).resolve()
        #expect(try Backup.verify(backup, master: master).isHealthy)
        let target = directory.appending("restored")
        let report = try Backup.restore(backup, to: target, master: master)
        #expect(report.migratedFrom == 1)
        let restored = try Catalog.open(at: target, keySource: .keyFile(path: keyFile))
        #expect(restored.schemaVersion == Catalog.currentSchemaVersion)
        let expected = try String(contentsOfFile: "\(source)/expected.tsv", encoding: .utf8)
        for line in expected.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields[0] == "history" { continue }
            let connection = try #require(try restored.read { reader in try reader.connection(named: name(fields[0])) })
            #expect("\(connection.version)" == fields[2])
            #expect(try restored.read { reader in try reader.externalID(of: connection) }?.count == 16)
        }
        let altered = try restored.writeBlocking { writer in
            try writer.alter(name("oss_logs"), .comment("after restore"))
        }
        #expect(
            try restored.read { reader in try reader.history(of: altered.id).map(\.version) } == [altered.version - 1])
    }
}
