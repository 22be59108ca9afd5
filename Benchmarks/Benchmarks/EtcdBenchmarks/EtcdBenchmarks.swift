// The catalog on LMDB beside the catalog on etcd (a 3-member loopback cluster each benchmark process starts
// for itself and stops): DESC, SHOW, batch create, autocommit create, and 8 and 64 concurrent writers.
//
// Names are `etcd.<operation>.<variant>.<backend>`, backend `lmdb`, `etcd` or `etcdUngrouped` (group commit
// off). They start with `etcd.` and carry no `k` size suffix, so neither `make bench-smoke` (CI) nor the smoke
// subset of `make bench` selects them; run them with
//   swift package --allow-writing-to-package-directory benchmark --target EtcdBenchmarks
// Per-operation figures: DESC iterations do `Backend.lookupsPerIteration` lookups; the concurrent creates
// `writers × 4` commits.

import Baselines
import Benchmark
import CatalogSQL
import ConnectionCatalog
import Foundation

/// Connections in the DESC and SHOW datasets.
let datasetRecords: UInt64 = 1_000
/// Connections created before a create benchmark, so creates land in a non-empty catalog.
let createBaseRecords: UInt64 = 200
/// Creates per writer in one iteration of the concurrent benchmarks.
let createsPerWriter = 4

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput], warmupIterations: 2, maxDuration: .seconds(4), maxIterations: 2_000)
    for backend in Backend.allCases {
        if backend != .etcdUngrouped { registerReadBenchmarks(backend) }
        if backend != .etcdCached { registerCreateBenchmarks(backend) }
    }
}

/// Holds what a setup hook builds until its teardown hook drops it.
final class Slot<Value> {
    var value: Value?

    func get() throws -> Value {
        guard let value else { throw BaselineError(operation: "setup", code: -1, message: "dataset not built") }
        return value
    }
}

/// `etcd.desc.getWithOpen.<backend>`: get by name and open the external ID in one read; `etcd.desc.endToEnd`:
/// the whole `DESC CONNECTION` through a SQL session (parse, read, open, render); `etcd.show.like`:
/// `SHOW CONNECTIONS LIKE '%SALES%'` in all 16 workspaces (each matching record read and decoded).
func registerReadBenchmarks(_ backend: Backend) {
    let slot = Slot<BackendDataset>()
    let setup: Benchmark.BenchmarkSetupHook = {
        slot.value = try BackendDataset(backend, records: datasetRecords, lookups: 1 << 12)
    }
    let teardown: Benchmark.BenchmarkTeardownHook = { slot.value = nil }
    let perIteration = backend.lookupsPerIteration

    Benchmark(
        "etcd.desc.getWithOpen.\(backend.rawValue)",
        closure: { _ in
            let data = try slot.get()
            for _ in 0..<perIteration {
                let lookup = data.lookups[data.position]
                data.position = (data.position + 1) % data.lookups.count
                let opened = try data.catalog.read { reader in
                    try reader.withSecret(.externalID, ofConnectionNamed: lookup.name, in: lookup.workspace) {
                        $0.count
                    }
                }
                blackHole(opened)
            }
        }, setup: setup, teardown: teardown)

    Benchmark(
        "etcd.desc.endToEnd.\(backend.rawValue)",
        closure: { _ in
            let data = try slot.get()
            for _ in 0..<perIteration {
                let lookup = data.lookups[data.position]
                data.position = (data.position + 1) % data.lookups.count
                let outcomes = data.sessions[lookup.workspace]!.executeBlocking(lookup.sql)
                guard outcomes.count == 1, !outcomes[0].isFailure else {
                    throw BaselineError(operation: "desc", code: -1, message: "DESC \(lookup.name) failed: \(outcomes)")
                }
                blackHole(OutputFormat.table.render(outcomes[0]))
            }
        }, setup: setup, teardown: teardown)

    let showSlot = Slot<BackendDataset>()
    Benchmark(
        "etcd.show.like.\(backend.rawValue)",
        closure: { _ in
            let data = try showSlot.get()
            var matches = 0
            for session in data.sessions.values {
                for outcome in session.executeBlocking("SHOW CONNECTIONS LIKE '%SALES%'") {
                    guard case .resultSet(let result) = outcome else {
                        throw BaselineError(operation: "show", code: -1, message: "SHOW failed: \(outcome)")
                    }
                    matches += result.rows.count
                }
            }
            guard matches == Int(datasetRecords / 8) else {
                throw BaselineError(
                    operation: "show", code: -1, message: "\(matches) matches, not \(datasetRecords / 8)")
            }
        },
        setup: {
            let data = try BackendDataset(backend, records: datasetRecords)
            for index in 0..<16 {
                let workspace = try WorkspaceName("ws\(index < 10 ? "0" : "")\(index)")
                data.sessions[workspace] = Session(catalog: data.catalog, workspace: workspace)
            }
            showSlot.value = data
        }, teardown: { showSlot.value = nil })
}

/// `etcd.create.batch20.<backend>` (20 creates in one write, about what one 128-operation etcd Txn takes),
/// `etcd.create.autocommit.<backend>` (one `writeBlocking` create), `etcd.create.concurrent8` and
/// `etcd.create.concurrent64` (8 or 64 tasks × 4 creates through the async `write`).
func registerCreateBenchmarks(_ backend: Backend) {
    let slot = Slot<BackendDataset>()
    let setup: Benchmark.BenchmarkSetupHook = { slot.value = try BackendDataset(backend, records: createBaseRecords) }
    let teardown: Benchmark.BenchmarkTeardownHook = { slot.value = nil }

    if backend != .etcdUngrouped {
        Benchmark(
            "etcd.create.batch\(batchCreates).\(backend.rawValue)",
            closure: { benchmark in
                let data = try slot.get()
                let drafts = try (data.nextIndex..<data.nextIndex + UInt64(batchCreates)).map(BackendDataset.draft)
                data.nextIndex += UInt64(batchCreates)
                benchmark.startMeasurement()
                try data.catalog.writeBlocking { writer in
                    for draft in drafts { try writer.create(draft) }
                }
                benchmark.stopMeasurement()
            }, setup: setup, teardown: teardown)

        Benchmark(
            "etcd.create.autocommit.\(backend.rawValue)",
            closure: { _ in
                try slot.get().createBatch(1)
            }, setup: setup, teardown: teardown)
    }

    for writers in [8, 64] {
        Benchmark(
            "etcd.create.concurrent\(writers).\(backend.rawValue)",
            closure: { benchmark in
                let data = try slot.get()
                let first = data.nextIndex
                data.nextIndex += UInt64(writers * createsPerWriter)
                let drafts = try (first..<data.nextIndex).map(BackendDataset.draft)
                let catalog = data.catalog
                benchmark.startMeasurement()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            for offset in 0..<createsPerWriter {
                                let draft = drafts[writer * createsPerWriter + offset]
                                try await catalog.write { writer in _ = try writer.create(draft) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                benchmark.stopMeasurement()
            }, setup: setup, teardown: teardown)
    }
}
