import CatalogTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `rotate-key`, `import`, `restore` and `backup` with `--store etcd://…`, through the built binary, on a real
/// 3-member cluster with etcd's default limit of 128 operations a `Txn`; SIGKILLed at fail points mid-way.
@Suite(.commandEtcdCluster, .serialized)
struct EtcdBulkProcessTests {
    @Test func rotateKeyKilledMidWayLeavesEverySecretOpenAndARerunFinishesIt() throws {
        let etcd = EtcdHome("rotate-kill")
        try etcd.sql(creates(200, "r"))
        try etcd.sql((0..<20).map { "ALTER CONNECTION r\($0) SET COMMENT = 'v2'" }.joined(separator: ";"))
        let before = try externalIDs(etcd, names: (0..<200).map { "r\($0)" })
        #expect(before.count == 200 && Set(before.values).count == 200)

        let killed = try etcd.run(["rotate-key", "--format", "json"], failPoint: "rotate-mid-reseal")
        // Only the fail point sends SIGKILL: dying by it says the kill landed mid-way through the records.
        #expect(killed.status == SIGKILL, "\(killed.output) \(killed.errorOutput)")
        #expect(try externalIDs(etcd, names: Array(before.keys)) == before)
        #expect(try backupVerifies(etcd), "every sealed value opens after the kill")

        // The re-run resumes the same rotation (data key 2: no third key is added) and finishes it.
        let rerun = try etcd.run(["rotate-key", "--format", "json"])
        #expect(rerun.status == 0, "\(rerun.output) \(rerun.errorOutput)")
        #expect(try rerun.outcome().notices.first?.contains("data key 2") == true, "\(rerun.output)")
        #expect(try externalIDs(etcd, names: Array(before.keys)) == before)
        let next = try etcd.run(["rotate-key", "--format", "json"])
        #expect(try next.outcome().notices.first?.contains("data key 3") == true, "\(next.output)")
        #expect(try backupVerifies(etcd))
    }

    @Test func importKilledMidWayLeavesTheCatalogAsItWasAndARerunFinishesIt() throws {
        let source = CatalogHome()
        try source.sql(creates(200, "imported"))
        let export = source.directory.appending("export.jsonl")
        let exported = try source.run(["export", export])
        try #require(exported.status == 0, "\(exported.errorOutput)")
        let sourceIDs = try externalIDs(source, names: (0..<200).map { "imported\($0)" })

        let etcd = EtcdHome("import-kill")
        try etcd.sql(creates(10, "own"))
        let own = try etcd.names()
        let arguments = ["import", export, "--source-key-file", source.keyFile, "--format", "json"]
        for point in ["replace-mid-write", "import-before-switch"] {
            let killed = try etcd.run(arguments, failPoint: point)
            #expect(killed.status == SIGKILL, "\(point): \(killed.output) \(killed.errorOutput)")
            #expect(try etcd.names() == own, "killed at \(point), readers see the catalog as it was")
        }
        let rerun = try etcd.run(arguments)
        #expect(rerun.status == 0, "\(rerun.output) \(rerun.errorOutput)")
        #expect(try rerun.outcome().resultSet?.rows.contains(["imported", "200"]) == true, "\(rerun.output)")
        #expect(try etcd.names().count == 210)
        #expect(try externalIDs(etcd, names: Array(sourceIDs.keys)) == sourceIDs)
        #expect(try backupVerifies(etcd))
    }

    @Test func restoreKilledMidWayLeavesTheOldCatalogAndReadersNeverSeeAMix() throws {
        let etcd = EtcdHome("restore-kill")
        try etcd.sql(creates(150, "old_"))
        let oldBackup = etcd.home.directory.appending("old-backup")
        try #require(try etcd.run(["backup", oldBackup]).status == 0)
        try etcd.sql((0..<150).map { "DROP CONNECTION old_\($0)" }.joined(separator: ";"))
        try etcd.sql(creates(180, "new_"))
        let newBackup = etcd.home.directory.appending("new-backup")
        try #require(try etcd.run(["backup", newBackup]).status == 0)
        func state(_ names: [String]) -> String {
            if names.count == 150 && names.allSatisfy({ $0.hasPrefix("old_") }) { return "old" }
            if names.count == 180 && names.allSatisfy({ $0.hasPrefix("new_") }) { return "new" }
            return "mixed: \(names.count) names"
        }
        let restoreOld = try etcd.run(["restore", oldBackup, "--force", "--format", "json"])
        #expect(restoreOld.status == 0, "\(restoreOld.output) \(restoreOld.errorOutput)")
        #expect(state(try etcd.names()) == "old")
        let refused = try etcd.run(["restore", newBackup, "--format", "json"])
        #expect(try refused.outcome().errorCode == "already_exists", "\(refused.output)")

        for point in ["replace-mid-write", "restore-before-swap"] {
            let killed = try etcd.run(["restore", newBackup, "--force"], failPoint: point)
            #expect(killed.status == SIGKILL, "\(point): \(killed.output) \(killed.errorOutput)")
            #expect(state(try etcd.names()) == "old", "killed at \(point)")
        }

        // A reader in another process, through another member, all along the restore that finishes.
        let reader = try etcd.launch(member: 1)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Locked<CatalogRun?>(nil)
        // The cluster is a task-local value: the arguments are made here, the run happens on another thread.
        let restoreArguments = etcd.arguments(["restore", newBackup, "--force", "--format", "json"], member: 2)
        let home = etcd.home
        DispatchQueue.global().async {
            outcome.set(try? home.run(restoreArguments, withPath: false))
            finished.signal()
        }
        var sent = 0
        var afterwards = 0
        while afterwards < 2 {
            if finished.wait(timeout: .now()) == .success {
                afterwards += 1
                finished.signal()
            }
            reader.send("SHOW CONNECTIONS;\n")
            sent += 1
            _ = try reader.waitForOutcomes(sent)
        }
        let read = try reader.finish()
        let run = try #require(outcome.get())
        #expect(run.status == 0, "\(run.output) \(run.errorOutput)")
        let states = try read.outcomes().map { outcome in state(outcome.resultSet?.rows.map { $0[0] ?? "" } ?? []) }
        #expect(states.count == sent && states.allSatisfy { $0 == "old" || $0 == "new" }, "\(Set(states))")
        #expect(states.last == "new")
        #expect(state(try etcd.names(member: 0)) == "new")
    }

    @Test func aBackupTakenFromEtcdVerifiesAndRestoresIntoLMDBAndBack() throws {
        let etcd = EtcdHome("backup-round-trip")
        try etcd.sql(creates(140, "b"))
        try etcd.sql("ALTER CONNECTION b1 SET COMMENT = 'v2'")
        let expected = try externalIDs(etcd, names: (0..<140).map { "b\($0)" })
        let backup = etcd.home.directory.appending("etcd-backup")
        let taken = try etcd.run(["backup", backup, "--format", "json"])
        #expect(taken.status == 0, "\(taken.output) \(taken.errorOutput)")
        #expect(try taken.outcome().resultSet?.rows.contains(["connections", "140"]) == true, "\(taken.output)")
        let verified = try etcd.run(["verify", backup])
        #expect(verified.status == 0, "\(verified.output) \(verified.errorOutput)")

        let lmdb = CatalogHome()
        let restored = try lmdb.run(["restore", backup, "--key-file", etcd.keyFile])
        #expect(restored.status == 0, "\(restored.output) \(restored.errorOutput)")
        let onLMDB = try lmdb.run(["--key-file", etcd.keyFile, "--format", "json", "-e", "SHOW CONNECTIONS"])
        #expect(try onLMDB.outcome().resultSet?.rows.count == 140)
        // An export from etcd (one snapshot) imports into the LMDB copy: every connection is already there.
        let export = etcd.home.directory.appending("etcd-export.jsonl")
        let exported = try etcd.run(["export", export])
        #expect(exported.status == 0, "\(exported.output) \(exported.errorOutput)")
        let skipped = try lmdb.run([
            "import", export, "--key-file", etcd.keyFile, "--on-conflict", "skip", "--format", "json",
        ])
        #expect(try skipped.outcome().resultSet?.rows.contains(["skipped", "140"]) == true, "\(skipped.output)")
        let lmdbBackup = lmdb.directory.appending("lmdb-backup")
        #expect(try lmdb.run(["backup", lmdbBackup, "--key-file", etcd.keyFile]).status == 0)

        let back = EtcdHome("backup-back")
        let intoEtcd = try back.run(["restore", lmdbBackup, "--format", "json"], keyFile: etcd.keyFile)
        #expect(intoEtcd.status == 0, "\(intoEtcd.output) \(intoEtcd.errorOutput)")
        let ids = try externalIDs(back, names: Array(expected.keys), keyFile: etcd.keyFile)
        #expect(ids == expected)
    }
}

/// `CREATE` statements for `count` S3 connections `<prefix>0…`, one script.
private func creates(_ count: Int, _ prefix: String) -> String {
    (0..<count).map { SQLFixture.s3("\(prefix)\($0)", secret: "secret-\(prefix)-\($0)") }.joined(separator: ";\n")
}

/// Each connection's EXTERNAL_ID as DESC shows it (opened from its sealed value), by name, in one run.
private func externalIDs(_ etcd: EtcdHome, names: [String], keyFile: String? = nil) throws -> [String: String] {
    let script = names.map { "DESC CONNECTION \($0)" }.joined(separator: ";")
    let run = try etcd.run(["--format", "json", "-e", script], keyFile: keyFile)
    try #require(run.status == 0, "\(run.output) \(run.errorOutput)")
    return try externalIDs(in: run.outcomes())
}

private func externalIDs(_ home: CatalogHome, names: [String]) throws -> [String: String] {
    let script = names.map { "DESC CONNECTION \($0)" }.joined(separator: ";")
    return try externalIDs(in: try home.sql(script))
}

private func externalIDs(in outcomes: [JSONOutcome]) throws -> [String: String] {
    var result: [String: String] = [:]
    for outcome in outcomes {
        let rows = try #require(outcome.resultSet?.rows)
        let name = try #require(rows.first { $0[0] == "name" }?[1] ?? nil)
        result[name] = try #require(rows.first { $0[0] == "EXTERNAL_ID" }?[1] ?? nil)
    }
    return result
}

/// Whether a backup of the catalog taken now verifies (every record decodes, every sealed value opens).
private func backupVerifies(_ etcd: EtcdHome) throws -> Bool {
    let backup = etcd.home.directory.appending("check-\(UUID().uuidString.prefix(8))")
    let taken = try etcd.run(["backup", backup])
    guard taken.status == 0 else { return false }
    return try etcd.run(["verify", backup]).status == 0
}

/// A value shared with a background queue.
private final class Locked<Value>: @unchecked Sendable {
    // Safe because: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func get() -> Value { lock.withLock { value } }
}

extension EtcdHome {
    /// Runs `catalog` like `run`, with `CATALOG_FAILPOINT` set to `failPoint`.
    func run(_ arguments: [String], failPoint: String) throws -> CatalogRun {
        try home.run(self.arguments(arguments), withPath: false, extraEnvironment: ["CATALOG_FAILPOINT": failPoint])
    }
}
