// The catalog's maintenance operations, each over a whole catalog: rotating the data key and backup, verify,
// restore (CatalogBackup), at 100k connections and, with BENCH_LARGE=1, at 1M. `backup.c.<size>` is the floor
// for a backup: one compacted, synced `mdb_env_copyfd2` of the raw-C dataset (raw_baseline.c, rb_backup).
//
// Names here have no variant: `<operation>.<implementation>.<size>`. Every iteration writes into a fresh
// directory inside the dataset's, and removes it again after the measured region.

import Baselines
import Benchmark
import CatalogBackup
import CatalogSealing
import ConnectionCatalog
import Foundation

/// The sizes the maintenance benchmarks run at: 100k, and 1M with BENCH_LARGE=1 (10k says little here).
var maintenanceSizes: [DatasetSize] { DatasetSize.all.filter { $0.records >= 100_000 } }

/// A catalog dataset, its master key (Backup's verify and restore take the key, not the catalog), and the
/// backup that verify and restore read.
final class MaintenanceDataset: @unchecked Sendable {
    // Safe because: each benchmark process drives its dataset from one benchmark at a time.
    let data: CatalogDataset
    let master: MasterKey
    var backup: String?
    private var serial = 0

    init(records: UInt64, withBackup: Bool) throws {
        data = try CatalogDataset(records: records)
        master = try MasterKeySource.keyFile(path: data.directory.file("master.key")).resolve()
        if withBackup {
            let path = data.directory.file("backup")
            try Backup.create(from: data.catalog, at: path)
            backup = path
        }
    }

    /// A path inside the dataset's directory that nothing has used yet.
    func nextPath(_ prefix: String) -> String {
        serial += 1
        return data.directory.file("\(prefix)-\(serial)")
    }
}

/// A raw-C dataset and a counter for the copies it is backed up to.
final class RawBackupDataset {
    let raw: RawDataset
    private var serial = 0

    init(records: UInt64) throws { raw = try RawDataset(records: records) }

    func nextPath() -> String {
        serial += 1
        return raw.directory.file("backup-\(serial).mdb")
    }
}

/// `rotateKey.catalog.<size>`: `Catalog.rotateDataKey()`, a new data key and every sealed value re-sealed
/// with it in one write. `backup.{catalog,c}.<size>`, `verify.catalog.<size>`, `restore.catalog.<size>`.
func registerMaintenanceBenchmarks(_ size: DatasetSize) {
    let slot = Slot<MaintenanceDataset>()
    let plainSetup: Benchmark.BenchmarkSetupHook = {
        slot.value = try MaintenanceDataset(records: size.records, withBackup: false)
    }
    let backupSetup: Benchmark.BenchmarkSetupHook = {
        slot.value = try MaintenanceDataset(records: size.records, withBackup: true)
    }
    let teardown: Benchmark.BenchmarkTeardownHook = { slot.value = nil }
    let whole = Benchmark.Configuration(warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 10)

    Benchmark(
        "rotateKey.catalog.\(size.label)",
        configuration: .init(warmupIterations: 0, maxDuration: .seconds(300), maxIterations: 3),
        closure: { _ in
            blackHole(try slot.get().data.catalog.rotateDataKey())
        }, setup: plainSetup, teardown: teardown)

    Benchmark(
        "backup.catalog.\(size.label)", configuration: whole,
        closure: { benchmark in
            let data = try slot.get()
            let destination = data.nextPath("backup")
            benchmark.startMeasurement()
            let manifest = try Backup.create(from: data.data.catalog, at: destination)
            benchmark.stopMeasurement()
            guard manifest.records.connections == Int(size.records) else {
                throw BaselineError(operation: "backup", code: -1, message: "\(manifest.records.connections) records")
            }
            try FileManager.default.removeItem(atPath: destination)
        }, setup: plainSetup, teardown: teardown)

    Benchmark(
        "verify.catalog.\(size.label)", configuration: whole,
        closure: { _ in
            let data = try slot.get()
            let report = try Backup.verify(
                try backupPath(data), master: data.master, scratchDirectory: data.data.directory.path)
            guard report.isHealthy else {
                throw BaselineError(operation: "verify", code: -1, message: "\(report.problems.count) problems")
            }
            blackHole(report.recordsChecked)
        }, setup: backupSetup, teardown: teardown)

    Benchmark(
        "restore.catalog.\(size.label)", configuration: whole,
        closure: { benchmark in
            let data = try slot.get()
            let backup = try backupPath(data)
            let target = data.nextPath("restored")
            benchmark.startMeasurement()
            let report = try Backup.restore(backup, to: target, master: data.master)
            benchmark.stopMeasurement()
            blackHole(report.recordsChecked)
            try FileManager.default.removeItem(atPath: target)
        }, setup: backupSetup, teardown: teardown)

    let raw = Slot<RawBackupDataset>()
    Benchmark(
        "backup.c.\(size.label)", configuration: whole,
        closure: { benchmark in
            let data = try raw.get()
            let destination = data.nextPath()
            benchmark.startMeasurement()
            blackHole(try data.raw.store.backup(to: destination))
            benchmark.stopMeasurement()
            try FileManager.default.removeItem(atPath: destination)
        },
        setup: {
            raw.value = try RawBackupDataset(records: size.records)
        },
        teardown: {
            raw.value = nil
        })
}

private func backupPath(_ data: MaintenanceDataset) throws -> String {
    guard let backup = data.backup else {
        throw BaselineError(operation: "setup", code: -1, message: "the dataset has no backup")
    }
    return backup
}
