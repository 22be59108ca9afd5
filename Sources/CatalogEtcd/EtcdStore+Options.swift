extension EtcdStore {
    /// How an `EtcdStore` talks to its cluster and how big a commit may be.
    public struct Options: Sendable {
        /// The keyspaces the store is opened with, in order (their handles follow it). A name holds no `/` and
        /// does not start with `_`.
        public var keyspaces: [String]
        /// How long one request to one member may take before the next member is tried.
        public var requestTimeout: Duration = .seconds(5)
        /// How long a call keeps trying the members, going round with a short back-off, before it fails with
        /// `.unavailable`.
        public var giveUpAfter: Duration = .seconds(15)
        /// The most compares, or operations, one `Txn` may hold: the cluster's `--max-txn-ops` (etcd's default
        /// is 128). A change set needing more fails with `.changeSetTooLarge` before anything is sent.
        public var maxTxnOperations = 128
        /// About the largest `Txn` the cluster takes: its `--max-request-bytes` (etcd's default is 1.5 MiB).
        public var maxRequestBytes = 1_572_864
        /// Entries fetched per request of a scan.
        public var scanPageSize = 500
        /// How many times `write` and `writeBlocking` run their body when each commit conflicts.
        public var maxWriteAttempts = 10
        /// How many `Txn`s the group commit of `write` and `commit` keeps in flight at once (`EtcdCommitGroups`).
        public var commitLanes = 3
        /// How many grouped first reads of writes' snapshots are in flight at once (`EtcdReadGroups`).
        public var readLanes = 2
        /// The most async commits one group `Txn` holds (1: no grouping, each commit its own `Txn`).
        public var maxGroupMembers = 64
        /// The life, in seconds, of the lease commit tokens are put under (`CommitTokenLease`).
        public var commitTokenTTL = 300
        /// The keyspaces `readMirrored` serves from a node-local copy kept current by a watch (`EtcdMirror`);
        /// empty (the default) keeps no copy. A catalog service sets `Catalog.readCacheKeyspaces`. Off by
        /// default: the copy costs a full load at the first read, memory for every entry and a watch thread,
        /// which a short-lived process (one `catalog` command) would pay for nothing.
        public var readCacheKeyspaces: [String] = []
        /// How long a read served by the copy waits for it to catch up with this client's own newest write
        /// before it reads etcd instead.
        public var readCacheMaxWait: Duration = .seconds(1)

        /// Test hook: called with each successful answer (path and endpoint); `true` drops it as if the
        /// connection broke after the request was sent, so the client resends to the next member.
        package var dropsAnswer: (@Sendable (_ path: String, _ endpoint: String) -> Bool)?

        public init(keyspaces: [String]) { self.keyspaces = keyspaces }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
