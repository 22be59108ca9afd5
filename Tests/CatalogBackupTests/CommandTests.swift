import CatalogTestSupport
import Foundation
import Testing

/// The built `catalog` binary's backup commands: they run, and exit 0 on success, 1 on failure, 2 on bad usage.
@Suite struct CommandTests {
    @Test func backupVerifyRestoreExportImportThroughTheBinary() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        let key = home.appending("catalog.key")
        let create = try runCatalog(
            [
                "sql", "--path", path, "-e",
                "CREATE STORAGE CONNECTION s3_logs TYPE = S3 REGION = 'us-west-2' ACCESS_KEY_ID = 'AKIAEXAMPLE0001' "
                    + "SECRET_ACCESS_KEY = 'not-a-real-secret'",
            ], home: home.path)
        #expect(create.status == 0, "\(create.errorOutput)")
        let backup = home.appending("backup")
        let made = try runCatalog(["backup", "--path", path, backup, "--format", "json"], home: home.path)
        #expect(made.status == 0, "\(made.errorOutput)")
        #expect(made.output.hasPrefix("{\"columns\": [\"item\", \"value\"]"))
        #expect(made.errorOutput.isEmpty, "off a terminal only the result is printed")
        #expect(try runCatalog(["backup", "--path", path, backup], home: home.path).status == 1, "never overwrites")

        let verified = try runCatalog(["verify", "--path", path, backup], home: home.path)
        #expect(verified.status == 0, "\(verified.errorOutput)")
        #expect(verified.output.contains("ok"))

        let restore = try runCatalog(["restore", "--path", path, backup], home: home.path)
        #expect(restore.status == 1)
        #expect(restore.errorOutput.contains("ERROR [already_exists]"))
        let forced = try runCatalog(["restore", "--path", path, backup, "--force"], home: home.path)
        #expect(forced.status == 0, "\(forced.errorOutput)")
        let elsewhere = try runCatalog(
            ["restore", "--path", home.appending("copy"), "--key-file", key, backup], home: home.path)
        #expect(elsewhere.status == 0, "\(elsewhere.errorOutput)")

        let export = home.appending("export.jsonl")
        #expect(try runCatalog(["export", "--path", path, export], home: home.path).status == 0)
        let conflict = try runCatalog(["import", "--path", path, export, "--format", "json"], home: home.path)
        #expect(conflict.status == 1)
        #expect(conflict.output.contains("\"code\": \"conflict\""))
        #expect(
            try runCatalog(["import", "--path", path, export, "--on-conflict", "skip"], home: home.path).status == 0)
        // Import needs an existing catalog (only init and sql create one).
        #expect(try runCatalog(["init", "--path", home.appending("fresh")], home: home.path).status == 0)
        let fresh = try runCatalog(
            ["import", "--path", home.appending("fresh"), export, "--source-key-file", key], home: home.path)
        #expect(fresh.status == 0, "\(fresh.errorOutput)")
        let described = try runCatalog(
            ["sql", "--path", home.appending("fresh"), "-e", "DESC CONNECTION s3_logs"], home: home.path)
        #expect(described.status == 0)
        #expect(described.output.contains("EXTERNAL_ID"))
    }

    @Test func failuresExitOneAndBadUsageExitsTwo() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        #expect(try runCatalog(["init", "--path", path], home: home.path).status == 0)
        let backup = home.appending("backup")
        #expect(try runCatalog(["backup", "--path", path, backup], home: home.path).status == 0)
        // A flipped byte of the data file.
        let data = "\(backup)/data.mdb"
        var bytes = fileBytes(data)
        bytes[bytes.count / 2] ^= 0x10
        _ = FileManager.default.createFile(atPath: data, contents: Data(bytes))
        let damaged = try runCatalog(["verify", "--path", path, backup, "--format", "json"], home: home.path)
        #expect(damaged.status == 1)
        #expect(damaged.output.contains("\"code\": \"integrity_error\""))
        let missingKey = try runCatalog(
            ["verify", "--path", path, "--key-file", home.appending("none.key"), backup], home: home.path)
        #expect(missingKey.status == 1)
        #expect(!fileExists(home.appending("none.key")), "verify never creates a key file")
        #expect(try runCatalog(["verify", "--path", path], home: home.path).status == 2)
        #expect(try runCatalog(["import", "--path", path, "x", "--on-conflict", "maybe"], home: home.path).status == 2)
    }
}

/// Paths that are not what a command expects (a directory, a FIFO) are refused at once with what was expected,
/// never read (a FIFO would block forever) and never reported as a Foundation error code.
@Suite struct NonRegularFileTests {
    /// Runs `catalog` and waits for it; a run still going after `limit` seconds is killed and reported as hung
    /// (a guard against waiting forever, not a measurement).
    func runWithoutHanging(
        _ arguments: [String], home: TemporaryDirectory, environment: [String: String] = [:]
    ) throws
        -> (status: Int32?, output: String, errorOutput: String)
    {
        let process = try HelperProcess(
            "catalog", arguments,
            environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"].merging(environment) { $1 })
        let deadline = Date().addingTimeInterval(20)
        while process.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.process.isRunning {
            process.kill()
            return (nil, process.output, process.errorOutput)
        }
        let status = process.waitForExit()
        return (status, process.output, process.errorOutput)
    }

    @Test func importingADirectorySaysAnExportFileWasExpected() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        #expect(try runCatalog(["init", "--path", path], home: home.path).status == 0)
        let directory = home.appending("exports")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let run = try runCatalog(["import", "--path", path, directory, "--format", "json"], home: home.path)
        #expect(run.status == 1)
        #expect(run.output.contains("\"code\": \"invalid_value\""), "\(run.output)")
        #expect(run.output.contains("'\(directory)' is a directory"), "\(run.output)")
        #expect(run.output.contains("catalog export"), "\(run.output)")
        #expect(!run.output.contains("NSCocoaErrorDomain"))
        let missing = try runCatalog(
            ["import", "--path", path, home.appending("none.jsonl"), "--format", "json"], home: home.path)
        #expect(missing.output.contains("\"code\": \"not_found\""), "\(missing.output)")
    }

    @Test func aFIFOAsAnExportFileIsRefusedWithoutBlocking() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        #expect(try runCatalog(["init", "--path", path], home: home.path).status == 0)
        let fifo = home.appending("export.jsonl")
        #expect(mkfifo(fifo, 0o600) == 0)
        let run = try runWithoutHanging(["import", "--path", path, fifo, "--format", "json"], home: home)
        #expect(run.status == 1, "import must not block on a FIFO: \(run.output)\(run.errorOutput)")
        #expect(run.output.contains("a named pipe (FIFO)"), "\(run.output)")
    }

    /// A FIFO in place of a backup's manifest or data file: verify and restore refuse it with integrity_error at
    /// once, and leave no scratch or staging directory behind.
    @Test(arguments: ["manifest.json", "data.mdb"])
    func aFIFOInABackupIsRefusedByVerifyAndRestoreWithoutBlocking(file: String) throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        let key = home.appending("catalog.key")
        #expect(try runCatalog(["init", "--path", path], home: home.path).status == 0)
        let backup = home.appending("backup")
        #expect(try runCatalog(["backup", "--path", path, backup], home: home.path).status == 0)
        try FileManager.default.removeItem(atPath: "\(backup)/\(file)")
        #expect(mkfifo("\(backup)/\(file)", 0o600) == 0)
        let scratch = home.appending("tmp")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        let verify = try runWithoutHanging(
            ["verify", "--path", path, backup, "--format", "json"], home: home, environment: ["TMPDIR": scratch])
        #expect(verify.status == 1, "verify must not block on a FIFO: \(verify.output)\(verify.errorOutput)")
        #expect(verify.output.contains("\"code\": \"integrity_error\""), "\(verify.output)")
        #expect(verify.output.contains("named pipe"), "\(verify.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "no scratch copy is left")
        let target = home.appending("restored")
        let restore = try runWithoutHanging(
            ["restore", "--path", target, "--key-file", key, backup, "--format", "json"], home: home)
        #expect(restore.status == 1, "restore must not block on a FIFO: \(restore.output)\(restore.errorOutput)")
        #expect(restore.output.contains("\"code\": \"integrity_error\""), "\(restore.output)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains(".restoring-") }.isEmpty
        )
        #expect(!fileExists(target))
    }
}

/// `catalog export --workspace NAME` exports that workspace only (it used to drop the option and export all).
@Suite struct ExportWorkspaceTests {
    func exportedNames(_ file: String) -> [String] {
        let lines = String(decoding: fileBytes(file), as: UTF8.self).split(separator: "\n").dropFirst().dropLast()
        return lines.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            return "\(object["workspace"] ?? "?").\(object["name"] ?? "?")"
        }.sorted()
    }

    @Test func exportWithAWorkspaceExportsOnlyThatWorkspace() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        for (workspace, names) in [("default", ["d_1", "d_2"]), ("analytics", ["a_1", "a_2", "a_3"])] {
            let sql = names.map {
                "CREATE STORAGE CONNECTION \($0) TYPE = S3 REGION = 'us-west-2' ACCESS_KEY_ID = 'AKIAEXAMPLE0001' "
                    + "SECRET_ACCESS_KEY = 'not-a-real-secret'"
            }.joined(separator: ";")
            let run = try runCatalog(["sql", "--path", path, "--workspace", workspace, "-e", sql], home: home.path)
            #expect(run.status == 0, "\(run.errorOutput)")
        }
        let one = home.appending("analytics.jsonl")
        let run = try runCatalog(
            ["export", "--path", path, "--workspace", "analytics", one, "--format", "csv"], home: home.path)
        #expect(run.status == 0, "\(run.errorOutput)")
        #expect(run.output.contains("workspace,analytics"), "\(run.output)")
        #expect(run.output.contains("connections,3"), "\(run.output)")
        #expect(exportedNames(one) == ["analytics.a_1", "analytics.a_2", "analytics.a_3"])
        // Without the option every workspace is exported, as before.
        let all = home.appending("all.jsonl")
        #expect(try runCatalog(["export", "--path", path, all], home: home.path).status == 0)
        #expect(exportedNames(all).count == 5)
        // The one-workspace export is a valid export: it imports into a fresh catalog.
        let fresh = home.appending("fresh")
        #expect(try runCatalog(["init", "--path", fresh], home: home.path).status == 0)
        let imported = try runCatalog(
            ["import", "--path", fresh, one, "--source-key-file", home.appending("catalog.key")], home: home.path)
        #expect(imported.status == 0, "\(imported.errorOutput)")
        let shown = try runCatalog(
            ["sql", "--path", fresh, "--workspace", "analytics", "-e", "SHOW CONNECTIONS"], home: home.path)
        #expect(shown.output.contains("a_3"))
        // A workspace name that is not an identifier is refused before anything is written.
        let bad = try runCatalog(
            ["export", "--path", path, "--workspace", "no-such space", home.appending("bad.jsonl")], home: home.path)
        #expect(bad.status == 1)
        #expect(!fileExists(home.appending("bad.jsonl")))
    }
}

/// A verify killed part-way leaves its scratch copy of the backup in `$TMPDIR`; the next verify removes the
/// copies of processes that are gone, and keeps those of live ones.
@Suite struct ScratchCleanupTests {
    @Test func verifyRemovesTheScratchCopiesOfDeadProcesses() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        #expect(try runCatalog(["init", "--path", path], home: home.path).status == 0)
        let backup = home.appending("backup")
        #expect(try runCatalog(["backup", "--path", path, backup], home: home.path).status == 0)
        let scratch = home.appending("tmp")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        // A process that has ended: its pid names no process now.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = "\(scratch)/catalog-verify-\(ended.processIdentifier)-a1b2c3"
        let live = "\(scratch)/catalog-verify-\(getpid())-d4e5f6"
        let unrelated = "\(scratch)/something-else"
        for directory in [dead, live, unrelated] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            _ = FileManager.default.createFile(atPath: "\(directory)/data.mdb", contents: Data(count: 4096))
        }
        let process = try HelperProcess(
            "catalog", ["verify", "--path", path, backup],
            environment: ["HOME": home.path, "PATH": "/usr/bin:/bin", "TMPDIR": scratch])
        #expect(process.waitForExit() == 0, "\(process.errorOutput)")
        #expect(!fileExists(dead), "the copy of a dead verify is removed")
        #expect(fileExists(live), "a live process's copy is kept")
        #expect(fileExists(unrelated))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: scratch).sorted() == [
                "catalog-verify-\(getpid())-d4e5f6", "something-else",
            ])
    }
}
