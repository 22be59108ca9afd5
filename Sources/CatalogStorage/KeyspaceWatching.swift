/// A store that can stream what is written to one keyspace, in commit order: how the change feed follows a
/// store shared by many nodes (etcd's watch) without polling it.
///
/// LMDB does not conform: its change log is read by polling one local file, which costs microseconds.
public protocol KeyspaceWatching: Sendable {
    /// The store's newest commit revision: a feed started after it tells only what is committed later.
    func newestRevision() throws(StorageError) -> Int64

    /// Every entry put into `keyspace` by commits after `revision`, a commit's entries together and commits in
    /// revision order, each delivered once even when the stream moves to another member of the store. Deletes
    /// are not told. The stream ends only when the consumer stops iterating or the store fails for good
    /// (`StorageError` `.unavailable`).
    func watch(_ keyspace: Keyspace, after revision: Int64) -> AsyncThrowingStream<WatchedCommit, any Error>

    /// The entries of `keyspace` put by commits after `revision` up to `through` and still there, grouped by
    /// commit in revision order: a bounded read of what a watch would have told, which needs no history (an entry
    /// etcd compacted the history of is still read).
    func committed(_ keyspace: Keyspace, after revision: Int64, through: Int64) throws(StorageError) -> [WatchedCommit]

    /// Deletes the entries of `keyspace` last put at or before `revision`, in bounded steps, and returns how many
    /// it deleted: how a log kept in the keyspace is trimmed. Entries put later are kept; running it again after a
    /// failure finishes the work.
    func deleteEntries(_ keyspace: Keyspace, through revision: Int64) throws(StorageError) -> Int
}

/// What a watch yields.
public enum WatchedCommit: Sendable {
    /// The entries one commit put, in key order, with the commit's revision.
    case entries(revision: Int64, [WatchedEntry])
    /// The store no longer holds the commits after the revision asked for up to `revision` (etcd compacted
    /// them): they cannot be told. The watch goes on after `revision`.
    case compacted(revision: Int64)
}

/// One entry a watched commit put.
public struct WatchedEntry: Sendable {
    /// The key within the keyspace.
    public var key: [UInt8]
    public var value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}
