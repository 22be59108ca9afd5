// The catalog's benchmarks and the two references they are judged against, in one run.
//
// Names are `<operation>.<variant>.<implementation>[.<size>]`, implementation one of `c` (plain
// liblmdb + libsodium, raw_baseline.c), `sqlite` (GRDB, WAL, synchronous=FULL) and `catalog` (the
// catalog's own, added beside these). scripts/bench-report.py reads the names, so keep the scheme.
//
// Sizes: 10k and 100k records; 1M too when BENCH_LARGE=1. Every dataset is built in a temporary
// directory by the benchmark's setup hook, outside the measured region (package-benchmark runs
// each benchmark in its own process, so each builds its own).

import Baselines
import Benchmark
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 10_000,
        // The tolerance of `swift package benchmark thresholds check` (make bench-smoke) against the p90s in
        // Benchmarks/Thresholds, which hold malloc counts only: ±10 % (more is a regression, fewer an
        // improvement, exit status 4, time to refresh them).
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 10])]
    )
    do {
        try initializeBaselines()
    } catch {
        fatalError("\(error)")
    }
    for size in DatasetSize.all {
        registerDescBenchmarks(size)
        registerShowBenchmarks(size)
        registerCatalogReadBenchmarks(size)
    }
    for size in maintenanceSizes {
        registerMaintenanceBenchmarks(size)
    }
    registerLoadBenchmarks()
    registerCreateBenchmarks()
    registerCatalogWriteBenchmarks()
    registerSQLBenchmarks()
    registerSealingBenchmarks()
}

// MARK: - Datasets

/// A dataset size and the suffix it gives benchmark names.
struct DatasetSize: Sendable {
    let records: UInt64
    let label: String

    static var all: [DatasetSize] {
        var sizes = [DatasetSize(records: 10_000, label: "10k"), DatasetSize(records: 100_000, label: "100k")]
        if ProcessInfo.processInfo.environment["BENCH_LARGE"] == "1" {
            sizes.append(DatasetSize(records: 1_000_000, label: "1M"))
        }
        return sizes
    }
}

/// Records loaded before a create benchmark, so creates land in a non-empty store.
let createBaseRecords: UInt64 = 10_000
/// Load batch size, as an import would use.
let loadBatch: UInt64 = 1_000
/// Distinct random lookups per DESC benchmark: enough that 1M records are not served from a few pages.
let lookupCount = 1 << 16
/// Runs `body` once per scaled iteration of `benchmark` on the next of `lookups` (a power-of-two count),
/// from `position` on, and leaves `position` after the last one: successive iterations walk the whole sample.
func forEachLookup<Lookup>(
    _ lookups: [Lookup], from position: inout Int, in benchmark: Benchmark, _ body: (Lookup) throws -> Void
) rethrows {
    precondition(lookups.count > 0 && lookups.count & (lookups.count - 1) == 0, "lookups come in a power of two")
    var next = position
    for _ in benchmark.scaledIterations {
        try body(lookups[next])
        next = (next + 1) & (lookups.count - 1)
    }
    position = next
}

/// SHOW's pattern; upper case on purpose, the match is case-insensitive. Matches one name in eight.
let showNeedle = "SALES"
/// Concurrent-writer benchmarks: writers, and autocommitted creates per writer per iteration.
let concurrentWriters = 8
let createsPerWriter = 4

/// Holds what a setup hook builds until its teardown hook drops it.
final class Slot<Value> {
    var value: Value?

    func get() throws -> Value {
        guard let value else { throw BaselineError(operation: "setup", code: -1, message: "dataset not built") }
        return value
    }
}

/// A raw-C dataset: its directory (removed with it), its store, and where the next create goes.
final class RawDataset {
    let directory: TemporaryDirectory
    let store: RawStore
    var nextIndex: UInt64
    var lookups: [ConnectionIdentity] = []
    var position = 0

    init(records: UInt64, lookups: Int = 0) throws {
        directory = try TemporaryDirectory(prefix: "bench-c")
        store = try RawStore(directory: directory.path)
        try store.load(count: records, batch: UInt32(loadBatch))
        nextIndex = records
        self.lookups = ConnectionIdentity.randomSample(count: lookups, records: records, seed: 0xCA7A_1096)
    }
}

/// A SQLite dataset, shaped as `RawDataset`.
final class SQLiteDataset {
    let directory: TemporaryDirectory
    let store: SQLiteStore
    var nextIndex: UInt64
    var lookups: [ConnectionIdentity] = []
    var position = 0

    init(records: UInt64, lookups: Int = 0) throws {
        directory = try TemporaryDirectory(prefix: "bench-sqlite")
        store = try SQLiteStore(path: directory.file("catalog.sqlite"))
        try store.load(count: records, batch: loadBatch)
        nextIndex = records
        self.lookups = ConnectionIdentity.randomSample(count: lookups, records: records, seed: 0xCA7A_1096)
    }
}

// MARK: - DESC

/// `desc.getWithOpen.<impl>.<size>`: random get-by-name, get the record, open the sealed external ID.
/// 1,000 lookups per iteration (scaling factor kilo): times and malloc counts are per lookup.
func registerDescBenchmarks(_ size: DatasetSize) {
    let raw = Slot<RawDataset>()
    Benchmark("desc.getWithOpen.c.\(size.label)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let data = try raw.get()
        try forEachLookup(data.lookups, from: &data.position, in: benchmark) {
            blackHole(try data.store.getWithOpen($0))
        }
    } setup: {
        raw.value = try RawDataset(records: size.records, lookups: lookupCount)
    } teardown: {
        raw.value = nil
    }

    let sqlite = Slot<SQLiteDataset>()
    Benchmark("desc.getWithOpen.sqlite.\(size.label)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let data = try sqlite.get()
        try forEachLookup(data.lookups, from: &data.position, in: benchmark) {
            blackHole(try data.store.getWithOpen($0))
        }
    } setup: {
        sqlite.value = try SQLiteDataset(records: size.records, lookups: lookupCount)
    } teardown: {
        sqlite.value = nil
    }
}

// MARK: - SHOW

/// `show.like.<impl>.<size>`: one full scan of the names with a case-insensitive LIKE '%sales%'.
func registerShowBenchmarks(_ size: DatasetSize) {
    let expected = size.records / 8

    let raw = Slot<RawDataset>()
    Benchmark("show.like.c.\(size.label)") { benchmark in
        let data = try raw.get()
        for _ in benchmark.scaledIterations {
            let found = try data.store.showLike(showNeedle)
            guard found.matches == expected else {
                throw BaselineError(operation: "show", code: -1, message: "\(found.matches) matches, not \(expected)")
            }
            blackHole(found.bytes)
        }
    } setup: {
        raw.value = try RawDataset(records: size.records)
    } teardown: {
        raw.value = nil
    }

    let sqlite = Slot<SQLiteDataset>()
    Benchmark("show.like.sqlite.\(size.label)") { benchmark in
        let data = try sqlite.get()
        for _ in benchmark.scaledIterations {
            let found = try data.store.showLike(showNeedle)
            guard found.matches == expected else {
                throw BaselineError(operation: "show", code: -1, message: "\(found.matches) matches, not \(expected)")
            }
            blackHole(found.bytes)
        }
    } setup: {
        sqlite.value = try SQLiteDataset(records: size.records)
    } teardown: {
        sqlite.value = nil
    }
}

// MARK: - Bulk load

/// `load.<oneTxn|batch1000>.<impl>.10k`: 10,000 records into an empty store, in one transaction or
/// in synced transactions of 1,000. Opening the store is outside the measured region.
func registerLoadBenchmarks() {
    let records: UInt64 = 10_000
    let configuration = Benchmark.Configuration(warmupIterations: 1, maxIterations: 20)
    for (variant, batch) in [("oneTxn", UInt64(0)), ("batch1000", loadBatch)] {
        Benchmark("load.\(variant).c.10k", configuration: configuration) { benchmark in
            let directory = try TemporaryDirectory(prefix: "bench-load-c")
            let store = try RawStore(directory: directory.path)
            benchmark.startMeasurement()
            try store.load(count: records, batch: UInt32(batch))
            benchmark.stopMeasurement()
        }
        Benchmark("load.\(variant).sqlite.10k", configuration: configuration) { benchmark in
            let directory = try TemporaryDirectory(prefix: "bench-load-sqlite")
            let store = try SQLiteStore(path: directory.file("catalog.sqlite"))
            benchmark.startMeasurement()
            try store.load(count: records, batch: batch)
            benchmark.stopMeasurement()
        }
    }
}

// MARK: - Create

/// The write benchmarks, each on a store preloaded with 10,000 records:
/// - `create.batch1000.<impl>`: 1,000 sealed creates in one synced transaction per iteration;
/// - `create.autocommit.<impl>`: one create in its own synced commit per iteration;
/// - `create.concurrent8.<impl>`: 8 writer threads × 4 autocommitted creates per iteration
///   (32 commits; commits/s = 32 ÷ the iteration's time).
func registerCreateBenchmarks() {
    let raw = Slot<RawDataset>()
    let rawSetup: Benchmark.BenchmarkSetupHook = { raw.value = try RawDataset(records: createBaseRecords) }
    let rawTeardown: Benchmark.BenchmarkTeardownHook = { raw.value = nil }
    let sqlite = Slot<SQLiteDataset>()
    let sqliteSetup: Benchmark.BenchmarkSetupHook = { sqlite.value = try SQLiteDataset(records: createBaseRecords) }
    let sqliteTeardown: Benchmark.BenchmarkTeardownHook = { sqlite.value = nil }
    let batches = Benchmark.Configuration(maxIterations: 300)

    Benchmark(
        "create.batch1000.c", configuration: batches,
        closure: { benchmark in
            let data = try raw.get()
            try data.store.createBatch(first: data.nextIndex, count: 1_000)
            data.nextIndex += 1_000
        }, setup: rawSetup, teardown: rawTeardown)
    Benchmark(
        "create.batch1000.sqlite", configuration: batches,
        closure: { benchmark in
            let data = try sqlite.get()
            try data.store.createBatch(first: data.nextIndex, count: 1_000)
            data.nextIndex += 1_000
        }, setup: sqliteSetup, teardown: sqliteTeardown)

    Benchmark(
        "create.autocommit.c",
        closure: { benchmark in
            let data = try raw.get()
            try data.store.createOne(index: data.nextIndex)
            data.nextIndex += 1
        }, setup: rawSetup, teardown: rawTeardown)
    Benchmark(
        "create.autocommit.sqlite",
        closure: { benchmark in
            let data = try sqlite.get()
            try data.store.createOne(index: data.nextIndex)
            data.nextIndex += 1
        }, setup: sqliteSetup, teardown: sqliteTeardown)

    let perIteration = UInt64(concurrentWriters * createsPerWriter)
    Benchmark(
        "create.concurrent8.c",
        closure: { benchmark in
            let data = try raw.get()
            try data.store.createConcurrently(
                first: data.nextIndex, writers: UInt32(concurrentWriters), perWriter: UInt32(createsPerWriter))
            data.nextIndex += perIteration
        }, setup: rawSetup, teardown: rawTeardown)
    Benchmark(
        "create.concurrent8.sqlite",
        closure: { benchmark in
            let data = try sqlite.get()
            try data.store.createConcurrently(
                first: data.nextIndex, writers: concurrentWriters, perWriter: createsPerWriter)
            data.nextIndex += perIteration
        }, setup: sqliteSetup, teardown: sqliteTeardown)
}
