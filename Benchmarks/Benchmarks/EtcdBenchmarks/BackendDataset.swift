// A catalog on one backend, for the benchmarks that put LMDB and etcd side by side: the same connections
// (ConnectionIdentity's names, OSS connections with a sealed external ID), the same lookups, the same SQL.

import Baselines
import CatalogEtcd
import CatalogSQL
import CatalogSealing
import ConnectionCatalog
import Foundation

/// Where a benchmark's catalog lives. A new way of reading the same catalog (a warm change-feed read cache
/// over etcd, say) is one more case here and its `open` branch: every benchmark runs on every case.
enum Backend: String, CaseIterable, Sendable {
    /// The embedded catalog: one LMDB environment in a temporary directory.
    case lmdb
    /// `EtcdStore` on a 3-member loopback cluster started for the benchmark (etcd's default 128-operation
    /// Txn limit), async commits grouped (`EtcdStore.Options` defaults).
    case etcd
    /// The same cluster with group commit off (`maxGroupMembers = 1`): each async commit its own Txn.
    case etcdUngrouped
    /// The same cluster with the node-local read cache on (`readCacheKeyspaces`): reads outside a write are
    /// served from a copy the watch keeps current. Only the read benchmarks run on it.
    case etcdCached

    /// DESC lookups per iteration: an etcd lookup costs round trips, an LMDB or cached one microseconds.
    var lookupsPerIteration: Int { self == .lmdb || self == .etcdCached ? 1_000 : 20 }
}

/// A catalog on `backend`: its directory (and cluster, stopped with it), the open catalog, sessions.
final class BackendDataset: @unchecked Sendable {
    // Safe because: each benchmark process drives its dataset from one benchmark at a time.
    let backend: Backend
    let directory: TemporaryDirectory
    let cluster: BenchEtcdCluster?
    let catalog: Catalog
    var nextIndex: UInt64 = 0
    var lookups: [(workspace: WorkspaceName, name: ConnectionName, sql: String)] = []
    var position = 0
    var sessions: [WorkspaceName: Session] = [:]

    /// Opens a new catalog on `backend` and creates `records` connections in it (in the largest batches one
    /// etcd Txn takes).
    init(_ backend: Backend, records: UInt64, lookups: Int = 0) throws {
        self.backend = backend
        directory = try TemporaryDirectory(prefix: "bench-\(backend.rawValue)")
        let keySource = MasterKeySource.keyFile(path: directory.file("master.key"))
        switch backend {
        case .lmdb:
            cluster = nil
            catalog = try Catalog.open(at: directory.file("catalog"), keySource: keySource)
        case .etcd, .etcdUngrouped, .etcdCached:
            let cluster = try BenchEtcdCluster()
            self.cluster = cluster
            var options = EtcdStore.Options(keyspaces: Catalog.storeKeyspaces)
            if backend == .etcdUngrouped { options.maxGroupMembers = 1 }
            if backend == .etcdCached { options.readCacheKeyspaces = Catalog.readCacheKeyspaces }
            let store = try EtcdStore.open(endpoints: cluster.endpoints, prefix: "bench", options: options)
            catalog = try Catalog.open(store: store, description: "etcd://bench", keySource: keySource)
        }
        var done: UInt64 = 0
        while done < records {
            let batch = min(UInt64(batchCreates), records - done)
            try createBatch(batch)
            done += batch
        }
        self.lookups = try ConnectionIdentity.randomSample(count: lookups, records: max(records, 1), seed: 0xCA7A_1096)
            .map {
                (try WorkspaceName($0.workspace), try ConnectionName($0.name), "DESC CONNECTION \($0.name)")
            }
        for workspace in Set(self.lookups.map(\.workspace)) {
            sessions[workspace] = Session(catalog: catalog, workspace: workspace)
        }
        if backend == .etcdCached { try warmCache() }
    }

    /// Reads until reads come from the cache (well under an etcd round trip), for at most 20 s: the first read
    /// starts loading the copy, and until it is loaded reads go to etcd.
    private func warmCache() throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline {
            let started = clock.now
            _ = try catalog.read { reader in try reader.count() }
            if clock.now - started < .microseconds(200) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Creates the next `count` connections in one write transaction.
    func createBatch(_ count: UInt64) throws {
        let first = nextIndex
        try catalog.writeBlocking { writer in
            for index in first..<first + count { try writer.create(Self.draft(index)) }
        }
        nextIndex += count
    }

    static func draft(_ index: UInt64) throws -> ConnectionDraft {
        let identity = ConnectionIdentity(index: index)
        let account = String(index % 1_000_000)
        return ConnectionDraft(
            name: try ConnectionName(identity.name), workspace: try WorkspaceName(identity.workspace), type: .oss,
            properties: [
                ("REGION", "cn-hangzhou"), ("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"),
                (
                    "ROLE_ARN",
                    "acs:ram::1234567890\(String(repeating: "0", count: 6 - account.count) + account):role/lake"
                ),
            ])
    }
}

/// Connections in one batch create: as many as one etcd Txn of 128 operations takes.
let batchCreates = 20
