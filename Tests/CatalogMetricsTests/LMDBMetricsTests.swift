import CatalogSealing
import CatalogStorage
import CatalogTestSupport
import ConnectionCatalog
import Metrics
import Testing

/// The metrics of a catalog on LMDB, counted by a real metrics backend while real writes, reads and conflicts
/// run. The backend is bound only while the catalog opens: its metrics are made then, and used from then on.
struct LMDBMetricsTests {
    let metrics = RecordingMetricsFactory()
    let lmdb = ["backend": "lmdb"]

    @Test func blockingWritesAndReadsAreCountedAndTimed() throws {
        let directory = TemporaryDirectory("metrics-lmdb")
        let catalog = try openCatalog(in: directory)
        let commits = metrics.counter("catalog_commits_total", lmdb)
        let writes = metrics.recorded("catalog_write_duration_seconds", lmdb.merging(["mode": "blocking"]) { $1 })
        let reads = metrics.recorded("catalog_read_duration_seconds", lmdb)

        for index in 0..<3 { try catalog.writeBlocking { try $0.create(function("blocking_\(index)")) } }
        let found = try catalog.read { try $0.connection(named: ConnectionName("blocking_1")) }
        #expect(found != nil)

        #expect(metrics.counter("catalog_commits_total", lmdb) - commits == 3)
        let newWrites = metrics.recorded("catalog_write_duration_seconds", lmdb.merging(["mode": "blocking"]) { $1 })
            .dropFirst(writes.count)
        #expect(newWrites.count == 3)
        #expect(newWrites.allSatisfy { $0 > 0 })
        let newReads = metrics.recorded("catalog_read_duration_seconds", lmdb).dropFirst(reads.count)
        #expect(newReads.count == 1)
        #expect(newReads.allSatisfy { $0 > 0 })
    }

    @Test func asyncWritesRecordTheirGroupSizesAndOneCommitPerGroup() async throws {
        let directory = TemporaryDirectory("metrics-group")
        let catalog = try openCatalog(in: directory)
        let commits = metrics.counter("catalog_commits_total", lmdb)
        let groups = metrics.recorded("catalog_group_commit_size", lmdb).count
        let writes = metrics.recorded("catalog_write_duration_seconds", lmdb.merging(["mode": "async"]) { $1 }).count
        let writers = 24

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<writers {
                group.addTask { _ = try await catalog.write { try $0.create(function("async_\(index)")) } }
            }
            try await group.waitForAll()
        }

        let sizes = metrics.recorded("catalog_group_commit_size", lmdb).dropFirst(groups)
        #expect(sizes.reduce(0, +) == Double(writers))
        #expect(metrics.counter("catalog_commits_total", lmdb) - commits == sizes.count)
        #expect(
            metrics.recorded("catalog_write_duration_seconds", lmdb.merging(["mode": "async"]) { $1 }).count - writes
                == writers)
    }

    @Test func aRefusedOptimisticCommitIsAConflictAndOtherFailuresAreNot() throws {
        let directory = TemporaryDirectory("metrics-conflict")
        let catalog = try openCatalog(in: directory)
        let conflicts = metrics.counter("catalog_commit_conflicts_total", lmdb)

        let transaction = catalog.beginTransaction()
        try transaction.step { try $0.create(function("contested")) }
        try catalog.writeBlocking { try $0.create(function("contested")) }
        let refused = #expect(throws: CatalogError.self) { try transaction.commitBlocking() }
        #expect(refused?.code == .conflict)
        #expect(metrics.counter("catalog_commit_conflicts_total", lmdb) - conflicts == 1)

        // A write that fails for another reason (the name is taken) is no conflict.
        #expect(throws: CatalogError.self) { try catalog.writeBlocking { try $0.create(function("contested")) } }
        #expect(metrics.counter("catalog_commit_conflicts_total", lmdb) - conflicts == 1)
    }

    @Test func eachDoublingOfTheMapIsCounted() throws {
        let directory = TemporaryDirectory("metrics-map")
        let environment = try withMetricsFactory(metrics) {
            try Environment.open(
                at: directory.appending("env"), options: Environment.Options(databases: ["data"], mapSize: 1 << 16))
        }
        let database = try environment.database("data")
        let growths = metrics.counter("catalog_map_growths_total", lmdb)
        let before = try environment.stats().mapSize

        for index in 0..<64 {
            try environment.writeBlocking { tx in
                try tx.put([UInt8](repeating: 7, count: 4096), for: RecordKey("value-\(index)"), in: database)
            }
        }

        let after = try environment.stats().mapSize
        #expect(after > before)
        let doublings = (after / before).trailingZeroBitCount
        #expect(metrics.counter("catalog_map_growths_total", lmdb) - growths == doublings)
    }

    private func openCatalog(in directory: TemporaryDirectory) throws -> Catalog {
        try withMetricsFactory(metrics) {
            try Catalog.open(
                at: directory.appending("catalog"), keySource: .keyFile(path: directory.appending("master.key")),
                options: Catalog.Options(creator: "metrics-test"))
        }
    }
}

/// A valid AWS function connection named `name`.
func function(_ name: String) throws -> ConnectionDraft {
    ConnectionDraft(
        name: try ConnectionName(name), type: .cloudFunction,
        properties: [
            ("PROVIDER", "AWS"), ("REGION", "us-east-1"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/lakehouse"),
            ("CODE_BUCKET", "lakehouse-code"),
        ])
}
