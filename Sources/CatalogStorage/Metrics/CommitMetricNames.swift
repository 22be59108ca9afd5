/// The names and the label of the commit metrics every storage backend reports, written once so LMDB and etcd
/// report under the same names and a dashboard tells them apart by the `backend` label alone.
package enum CommitMetricNames {
    /// Counter: storage commits that applied (an LMDB write transaction, an etcd `Txn`); a group counts once.
    package static let commits = "catalog_commits_total"
    /// Recorder: the number of writes that shared one group commit.
    package static let groupSize = "catalog_group_commit_size"
    /// Counter: optimistic commits refused because something they read had changed (`.conflict`).
    package static let conflicts = "catalog_commit_conflicts_total"
    /// The one label: which backend reported (`lmdb`, `etcd`); never a path, a name or a key.
    package static let backendLabel = "backend"
}
