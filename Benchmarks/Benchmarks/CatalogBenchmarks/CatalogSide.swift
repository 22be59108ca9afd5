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
        try catalog.write { writer in
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
    let setup: Benchmark.BenchmarkSetupHook = { slot.value = try CatalogDataset(records: size.records, lookups: lookupCount) }
    let teardown: Benchmark.BenchmarkTeardownHook = { slot.value = nil }

    Benchmark("desc.getWithOpen.catalog.\(size.label)", configuration: .init(scalingFactor: .kilo), closure: { benchmark in
        let data = try slot.get()
        try forEachLookup(data.lookups, from: &data.position, in: benchmark) { lookup in
            let opened = try data.catalog.read { reader in
                try reader.withSecret(.externalID, ofConnectionNamed: lookup.name, in: lookup.workspace) { externalID in
                    externalID.count + Int(externalID[0])
                }
            }
            blackHole(opened)
        }
    }, setup: setup, teardown: teardown)

    Benchmark("desc.getDecodeOpen.catalog.\(size.label)", configuration: .init(scalingFactor: .kilo), closure: { benchmark in
        let data = try slot.get()
        try forEachLookup(data.lookups, from: &data.position, in: benchmark) { lookup in
            let externalID = try data.catalog.read { reader -> String? in
                guard let connection = try reader.connection(named: lookup.name, in: lookup.workspace) else { return nil }
                return try reader.externalID(of: connection)
            }
            blackHole(externalID)
        }
    }, setup: setup, teardown: teardown)

    Benchmark("desc.endToEnd.catalog.\(size.label)", configuration: .init(scalingFactor: .kilo), closure: { benchmark in
        let data = try slot.get()
        try forEachLookup(data.lookups, from: &data.position, in: benchmark) { lookup in
            let outcomes = data.sessions[lookup.workspace]!.execute(lookup.sql)
            guard outcomes.count == 1, !outcomes[0].isFailure else {
                throw BaselineError(operation: "desc", code: -1, message: "DESC \\(lookup.name) failed")
            }
            blackHole(OutputFormat.table.render(outcomes[0]))
        }
    }, setup: setup, teardown: teardown)

    let showSlot = Slot<CatalogDataset>()
    let expected = size.records / 8
    Benchmark("show.like.catalog.\(size.label)", closure: { benchmark in
        let data = try showSlot.get()
        for _ in benchmark.scaledIterations {
            var matches = 0
            for session in data.sessions.values {
                for outcome in session.execute("SHOW CONNECTIONS LIKE '%\(showNeedle)%'") {
                    guard case .resultSet(let result) = outcome else {
                        throw BaselineError(operation: "show", code: -1, message: "SHOW failed")
                    }
                    matches += result.rows.count
                }
            }
            guard matches == expected else {
                throw BaselineError(operation: "show", code: -1, message: "\(matches) matches, not \(expected)")
            }
        }
    }, setup: {
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
    Benchmark("create.batch1000.catalog", configuration: .init(maxIterations: 300), closure: { benchmark in
        let data = try slot.get()
        let drafts = try (data.nextIndex..<data.nextIndex + 1_000).map(CatalogDataset.draft)
        benchmark.startMeasurement()
        try data.catalog.write { writer in
            for draft in drafts { try writer.create(draft) }
        }
        benchmark.stopMeasurement()
        data.nextIndex += 1_000
    }, setup: setup, teardown: teardown)

    Benchmark("create.autocommit.catalog", closure: { _ in
        try slot.get().createBatch(1)
    }, setup: setup, teardown: teardown)

    Benchmark("create.concurrent8.catalog", closure: { _ in
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
