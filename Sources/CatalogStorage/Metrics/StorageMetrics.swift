internal import Metrics

/// The metrics an LMDB environment reports: its commits, group sizes, conflicts and map growths.
///
/// Made once when the environment opens, from whatever `MetricsSystem` holds then; with no backend bootstrapped
/// every handler is swift-metrics' no-op one, so each event costs one call that does nothing and allocates
/// nothing.
struct StorageMetrics: Sendable {
    let commits: Counter
    let groupSize: Recorder
    let conflicts: Counter
    let mapGrowths: Counter

    /// Counter: how many times this process doubled an environment's map because a write found it full.
    static let mapGrowthsName = "catalog_map_growths_total"

    init() {
        let labels = [(CommitMetricNames.backendLabel, "lmdb")]
        commits = Counter(label: CommitMetricNames.commits, dimensions: labels)
        groupSize = Recorder(label: CommitMetricNames.groupSize, dimensions: labels)
        conflicts = Counter(label: CommitMetricNames.conflicts, dimensions: labels)
        mapGrowths = Counter(label: Self.mapGrowthsName, dimensions: labels)
    }

    /// Counts one committed write transaction.
    func noteCommit() { commits.increment() }

    /// Records how many async writes shared one group commit.
    func noteGroup(of size: Int) { groupSize.record(size) }

    /// Counts one doubling of the map.
    func noteMapGrowth() { mapGrowths.increment() }

    /// Counts `error` as a refused optimistic commit when it is one.
    func noteFailure(_ error: any Error) {
        if let refused = error as? StorageError, refused.code == .conflict { conflicts.increment() }
    }
}
