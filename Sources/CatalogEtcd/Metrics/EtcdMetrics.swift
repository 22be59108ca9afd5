import CatalogStorage
internal import Metrics

/// The metrics an etcd store reports: the `Txn`s that applied, the members per group commit, and the commits
/// refused as conflicts, under the same names as LMDB's with `backend="etcd"`.
///
/// Made once when the store opens; with no metrics backend bootstrapped every call is a no-op.
struct EtcdMetrics: Sendable {
    let commits: Counter
    let groupSize: Recorder
    let conflicts: Counter

    init() {
        let labels = [(CommitMetricNames.backendLabel, "etcd")]
        commits = Counter(label: CommitMetricNames.commits, dimensions: labels)
        groupSize = Recorder(label: CommitMetricNames.groupSize, dimensions: labels)
        conflicts = Counter(label: CommitMetricNames.conflicts, dimensions: labels)
    }

    /// Counts one `Txn` that applied.
    func noteCommit() { commits.increment() }

    /// Records how many change sets one group's first `Txn` carried.
    func noteGroup(of size: Int) { groupSize.record(size) }

    /// Counts `count` change sets refused as conflicts.
    func noteConflicts(_ count: Int) { conflicts.increment(by: count) }
}
