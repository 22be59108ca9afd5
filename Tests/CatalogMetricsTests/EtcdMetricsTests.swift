import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Foundation
import Metrics
import Testing

/// The commit metrics of a store on a real 3-member etcd cluster: `Txn`s that applied, members per group
/// commit, and refused commits, under `backend="etcd"`, counted by a backend bound while the store opens.
struct EtcdMetricsTests {
    let metrics = RecordingMetricsFactory()
    let etcd = ["backend": "etcd"]

    @Test func txnsConflictsAndGroupSizesAreCounted() async throws {
        let cluster = try EtcdCluster(members: 3)
        defer { cluster.stop() }
        var options = EtcdStore.Options(keyspaces: ["a", "b"])
        options.giveUpAfter = .seconds(20)
        let store = try withMetricsFactory(metrics) {
            try EtcdStore.open(
                endpoints: cluster.endpoints, prefix: "metrics-\(UUID().uuidString.prefix(8))", options: options)
        }
        let (a, b) = (try store.keyspace("a"), try store.keyspace("b"))

        // Three blocking writes that apply, then one change set whose read moved: refused, nothing written.
        let commits = metrics.counter("catalog_commits_total", etcd)
        let conflicts = metrics.counter("catalog_commit_conflicts_total", etcd)
        try StoreConformance.conflict(store, a, b, .changesAKeyItRead)
        #expect(metrics.counter("catalog_commits_total", etcd) - commits == 3)
        #expect(metrics.counter("catalog_commit_conflicts_total", etcd) - conflicts == 1)

        // Async commits of disjoint keys share `Txn`s: every member is in one recorded group, one Txn each.
        let groups = metrics.recorded("catalog_group_commit_size", etcd).count
        let before = metrics.counter("catalog_commits_total", etcd)
        let writers = 12
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<writers {
                group.addTask {
                    let builder = ChangeSetBuilder()
                    try store.stage(builder) { staged in
                        try staged.put([UInt8(index)], for: try RecordKey("group-\(index)"), in: a)
                    }
                    try await store.commit(builder.changeSet())
                }
            }
            try await group.waitForAll()
        }
        let sizes = metrics.recorded("catalog_group_commit_size", etcd).dropFirst(groups)
        #expect(sizes.reduce(0, +) == Double(writers))
        #expect(metrics.counter("catalog_commits_total", etcd) - before == sizes.count)
    }
}
