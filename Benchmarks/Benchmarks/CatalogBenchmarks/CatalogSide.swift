// The catalog's own benchmarks, beside the references in CatalogBenchmarks.swift and named the same way with
// implementation `catalog`. The datasets hold the same names as the references' (ConnectionIdentity), as
// OSS connections with a region, endpoint and role ARN and a sealed external ID.

import Baselines
import Benchmark
import CatalogSQL
import CatalogSealing
import ConnectionCatalog
import Foundation

/// A catalog dataset: its directory (removed with it), the open catalog, one SQL session per workspace.
final class CatalogDataset: @unchecked Sendable {
    // Safe because: each benchmark process drives its dataset from one benchmark at a time.
    let directory: TemporaryDirectory
    let catalog: Catalog
    var nextIndex: UInt64
    var lookups: [(workspace: WorkspaceName, name: ConnectionName, sql: String)] = []
    var position = 0
    var sessions: [WorkspaceName: Session] = [:]

    init(records: UInt64, lookups: Int = 0) throws {
        directory = try TemporaryDirectory(prefix: "bench-catalog")
        catalog = try Catalog.open(
            at: directory.file("catalog"), keySource: .keyFile(path: directory.file("master.key")))
        nextIndex = 0
        try load(records)
        self.lookups = try ConnectionIdentity.randomSample(count: lookups, records: records, seed: 0xCA7A_1096).map {
            (try WorkspaceName($0.workspace), try ConnectionName($0.name), "DESC CONNECTION \($0.name)")
        }
        for workspace in Set(self.lookups.map(\.workspace)) {
            sessions[workspace] = Session(catalog: catalog, workspace: workspace)
        }
    }

    /// Creates connections `nextIndex ..< nextIndex + count` in transactions of 10,000.
    func load(_ count: UInt64) throws {
        var done: UInt64 = 0
        while done < count {
            let batch = min(10_000, count - done)
            try createBatch(batch)
            done += batch
        }
    }

    /// Creates `count` connections in one write transaction.
    func createBatch(_ count: UInt64) throws {
        let first = nextIndex
        try catalog.writeBlocking { writer in
            for index in first..<first + count { try writer.create(Self.draft(index)) }
        }
        nextIndex += count
    }

    static func draft(_ index: UInt64) throws -> ConnectionDraft {
        let identity = ConnectionIdentity(index: index)
        return ConnectionDraft(
            name: try ConnectionName(identity.name), workspace: try WorkspaceName(identity.workspace), type: .oss,
            properties: [
                ("REGION", "cn-hangzhou"), ("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"),
                ("ROLE_ARN", "acs:ram::1234567890\(zeroPadded(index % 1_000_000, width: 6)):role/lake"),
            ])
    }
}

/// `value` in decimal, zero-padded to `width` digits (without Foundation's formatter, which costs more than a create).
func zeroPadded(_ value: UInt64, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// `desc.getWithOpen.catalog.<size>`: the library-level DESC: get by name and open the external ID, one read
/// transaction per lookup, through `withSecret(_:ofConnectionNamed:in:_:)` (the record's checksum is checked,
/// the rest of it not decoded; the plaintext is read in place, as the C reference copies it out).
/// `desc.getDecodeOpen.catalog.<size>`: the same through `connection(named:in:)` (the whole record decoded)
/// and `externalID(of:)`. `desc.endToEnd.catalog.<size>`: parse `DESC CONNECTION x`, run it, render the
/// table. `show.like.catalog.<size>`: `SHOW CONNECTIONS LIKE '%SALES%'` in every workspace.
func registerCatalogReadBenchmarks(_ size: DatasetSize) {
    let slot = Slot<CatalogDataset>()
    let setup: Benchmark.BenchmarkSetupHook = {
        slot.value = try CatalogDataset(records: size.records, lookups: lookupCount)
    }
    let teardown: Benchmark.BenchmarkTeardownHook = { slot.value = nil }

    Benchmark(
        "desc.getWithOpen.catalog.\(size.label)", configuration: .init(scalingFactor: .kilo),
        closure: { benchmark in
            let data = try slot.get()
            try forEachLookup(data.lookups, from: &data.position, in: benchmark) { lookup in
                let opened = try data.catalog.read { reader in
                    try reader.withSecret(.externalID, ofConnectionNamed: lookup.name, in: lookup.workspace) {
                        externalID in
                        externalID.count + Int(externalID[0])
                    }
                }
                blackHole(opened)
            }
        }, setup: setup, teardown: teardown)

    Benchmark(
        "desc.getDecodeOpen.catalog.\(size.label)", configuration: .init(scalingFactor: .kilo),
        closure: { benchmark in
            let data = try slot.get()
            try forEachLookup(data.lookups, from: &data.position, in: benchmark) { lookup in
                let externalID = try data.catalog.read { reader -> String? in
                    guard let connection = try reader.connection(named: lookup.name, in: lookup.workspace) else {
                        return nil
                    }
                    return try reader.externalID(of: connection)
                }
                blackHole(externalID)
            }
        }, setup: setup, teardown: teardown)

    Benchmark(
        "desc.endToEnd.catalog.\(size.label)", configuration: .init(scalingFactor: .kilo),
        closure: { benchmark in
            let data = try slot.get()
            try forEachLookup(data.lookups, from: &data.position, in: benchmark) { lookup in
                let outcomes = data.sessions[lookup.workspace]!.executeBlocking(lookup.sql)
                guard outcomes.count == 1, !outcomes[0].isFailure else {
                    throw BaselineError(operation: "desc", code: -1, message: "DESC \\(lookup.name) failed")
                }
                blackHole(OutputFormat.table.render(outcomes[0]))
            }
        }, setup: setup, teardown: teardown)

    let showSlot = Slot<CatalogDataset>()
    let expected = size.records / 8
    Benchmark(
        "show.like.catalog.\(size.label)",
        closure: { benchmark in
            let data = try showSlot.get()
            for _ in benchmark.scaledIterations {
                var matches = 0
                for session in data.sessions.values {
                    for outcome in session.executeBlocking("SHOW CONNECTIONS LIKE '%\(showNeedle)%'") {
                        guard case .resultSet(let result) = outcome else {
                            throw BaselineError(operation: "show", code: -1, message: "SHOW failed")
                        }
                        matches += result.rowCount
                    }
                }
                guard matches == expected else {
                    throw BaselineError(operation: "show", code: -1, message: "\(matches) matches, not \(expected)")
                }
            }
        },
        setup: {
            let data = try CatalogDataset(records: size.records, lookups: 0)
            for index in 0..<16 {
                let workspace = try WorkspaceName("ws\(index < 10 ? "0" : "")\(index)")
                data.sessions[workspace] = Session(catalog: data.catalog, workspace: workspace)
            }
            showSlot.value = data
        }, teardown: { showSlot.value = nil })
}

/// `create.batch1000.catalog`, `create.autocommit.catalog`, `create.concurrent8.catalog` (8 tasks × 4 async
/// creates, group-committed), on a catalog preloaded with 10,000 connections; and `parse.create.catalog`.
func registerCatalogWriteBenchmarks() {
    let slot = Slot<CatalogDataset>()
    let setup: Benchmark.BenchmarkSetupHook = { slot.value = try CatalogDataset(records: createBaseRecords) }
    let teardown: Benchmark.BenchmarkTeardownHook = { slot.value = nil }

    // The drafts are built before the measured region: formatting and validating the benchmark's own names is
    // not the catalog's work (the C reference formats its records with snprintf, which costs next to nothing).
    Benchmark(
        "create.batch1000.catalog", configuration: .init(maxIterations: 300),
        closure: { benchmark in
            let data = try slot.get()
            let drafts = try (data.nextIndex..<data.nextIndex + 1_000).map(CatalogDataset.draft)
            benchmark.startMeasurement()
            try data.catalog.writeBlocking { writer in
                for draft in drafts { try writer.create(draft) }
            }
            benchmark.stopMeasurement()
            data.nextIndex += 1_000
        }, setup: setup, teardown: teardown)

    Benchmark(
        "create.autocommit.catalog",
        closure: { _ in
            try slot.get().createBatch(1)
        }, setup: setup, teardown: teardown)

    Benchmark(
        "create.concurrent8.catalog",
        closure: { _ in
            let data = try slot.get()
            let first = data.nextIndex
            data.nextIndex += UInt64(concurrentWriters * createsPerWriter)
            let catalog = data.catalog
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<concurrentWriters {
                    group.addTask {
                        for offset in 0..<createsPerWriter {
                            let draft = try CatalogDataset.draft(first + UInt64(writer * createsPerWriter + offset))
                            try await catalog.write { writer in _ = try writer.create(draft) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }, setup: setup, teardown: teardown)

    let create = """
        CREATE API CONNECTION fc_sales TYPE = CLOUD_FUNCTION PROVIDER = 'aliyun' REGION = 'cn-hangzhou'
            ROLE_ARN = 'acs:ram::1234567890123456:role/lakehouse' CODE_BUCKET = 'lakehouse-code' COMMENT = 'udf'
        """
    Benchmark("parse.create.catalog", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Parser.parse(create)) }
    }
}

/// Tasks per iteration of the concurrent SQL benchmarks.
let concurrentTasks = 200

/// `sql.createConcurrent.catalog`: 200 tasks, each with its own `Session`, each running one autocommitted
/// `CREATE … CONNECTION` through `await session.execute(_:)`; `create.concurrentTasks.catalog`: the same 200
/// creates as 200 tasks calling `Catalog.write` directly (the library path SQL is judged against). Both on a
/// catalog preloaded with 10,000 connections; the statements and drafts are built before the measured region.
///
/// `sql.txnCreate.catalog.<1k|10k|100k>`: one session runs BEGIN, that many CREATEs (parsed, validated, sealed,
/// each once) and COMMIT; times are per statement, so the three sizes compare directly.
func registerSQLBenchmarks() {
    let slot = Slot<CatalogDataset>()
    let setup: Benchmark.BenchmarkSetupHook = { slot.value = try CatalogDataset(records: createBaseRecords) }
    let teardown: Benchmark.BenchmarkTeardownHook = { slot.value = nil }

    Benchmark(
        "sql.createConcurrent.catalog", configuration: .init(maxIterations: 300),
        closure: { benchmark in
            let data = try slot.get()
            let statements = (data.nextIndex..<data.nextIndex + UInt64(concurrentTasks)).map(createStatement)
            data.nextIndex += UInt64(concurrentTasks)
            let catalog = data.catalog
            benchmark.startMeasurement()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for statement in statements {
                    group.addTask {
                        let outcomes = await Session(catalog: catalog).execute(statement)
                        guard outcomes.count == 1, !outcomes[0].isFailure else {
                            throw BaselineError(operation: "sql create", code: -1, message: "\(outcomes)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            benchmark.stopMeasurement()
        }, setup: setup, teardown: teardown)

    Benchmark(
        "create.concurrentTasks.catalog", configuration: .init(maxIterations: 300),
        closure: { benchmark in
            let data = try slot.get()
            let drafts = try (data.nextIndex..<data.nextIndex + UInt64(concurrentTasks)).map(CatalogDataset.draft)
            data.nextIndex += UInt64(concurrentTasks)
            let catalog = data.catalog
            benchmark.startMeasurement()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for draft in drafts {
                    group.addTask { try await catalog.write { writer in _ = try writer.create(draft) } }
                }
                try await group.waitForAll()
            }
            benchmark.stopMeasurement()
        }, setup: setup, teardown: teardown)

    for (label, count) in [("1k", 1_000), ("10k", 10_000), ("100k", 100_000)] {
        let txnSlot = Slot<CatalogDataset>()
        let configuration = Benchmark.Configuration(
            warmupIterations: count >= 100_000 ? 0 : 1, maxDuration: .seconds(count >= 100_000 ? 1 : 3),
            maxIterations: count >= 100_000 ? 2 : 50)
        Benchmark(
            "sql.txnCreate.catalog.\(label)", configuration: configuration,
            closure: { benchmark in
                let data = try txnSlot.get()
                let statements = (data.nextIndex..<data.nextIndex + UInt64(count)).map(createStatement)
                data.nextIndex += UInt64(count)
                let session = Session(catalog: data.catalog)
                benchmark.startMeasurement()
                _ = session.executeBlocking("BEGIN")
                for statement in statements {
                    let outcome = session.executeBlocking(statement)
                    guard outcome.count == 1, !outcome[0].isFailure else {
                        throw BaselineError(operation: "sql txn create", code: -1, message: "\(outcome)")
                    }
                }
                let committed = session.executeBlocking("COMMIT")
                benchmark.stopMeasurement()
                guard committed == [.ok(notices: ["committed \(count) statement(s)"])] else {
                    throw BaselineError(operation: "sql txn commit", code: -1, message: "\(committed)")
                }
            }, setup: { txnSlot.value = try CatalogDataset(records: createBaseRecords) },
            teardown: { txnSlot.value = nil })
    }
}

/// The CREATE statement for connection `index` of `ConnectionIdentity` (its name, in the default workspace).
func createStatement(_ index: UInt64) -> String {
    let identity = ConnectionIdentity(index: index)
    return """
        CREATE STORAGE CONNECTION \(identity.name)_sql TYPE = OSS REGION = 'cn-hangzhou'
            ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com' ROLE_ARN = 'acs:ram::1234567890\(zeroPadded(index % 1_000_000, width: 6)):role/lake'
        """
}
