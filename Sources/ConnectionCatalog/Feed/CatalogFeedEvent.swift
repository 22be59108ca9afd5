/// What the change feed yields: a change, or word that some changes can no longer be told one by one.
public enum CatalogFeedEvent: Sendable, Hashable {
    /// One committed change.
    case change(CatalogChange)
    /// The changes after the position the feed resumed from, up to and including `revision`, are gone from the
    /// log (trimmed on LMDB, compacted away on etcd) or the catalog went back in time (restored from an older
    /// backup). A cache fed by the feed must drop everything it holds; the feed goes on after `revision`.
    case reset(revision: UInt64)

    /// The revision the consumer has seen everything up to, once it has handled this event.
    public var revision: UInt64 {
        switch self {
        case .change(let change): change.revision
        case .reset(let revision): revision
        }
    }
}
