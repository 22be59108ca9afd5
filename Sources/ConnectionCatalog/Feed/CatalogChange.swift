/// One committed change of one connection, as the change feed (`Catalog.changes(after:)`) tells it: enough
/// for a node to drop what it cached of the connection (both names, for a rename), never a property value.
public struct CatalogChange: Sendable, Hashable {
    /// What happened to the connection. The words are those of `SHOW CONNECTION HISTORY`, plus `drop`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case create, alter, rename, rotate, enable, disable, drop
    }

    /// Where the change sits in the feed: grows with every commit. On LMDB, the change log's sequence number
    /// (one per change); on etcd, the cluster revision of the commit (changes committed together share it).
    public var revision: UInt64
    public var kind: Kind
    public var workspace: WorkspaceName
    /// The connection's name after the change (for a drop, the name it had).
    public var name: ConnectionName
    /// The name before a rename; `nil` for every other kind.
    public var previousName: ConnectionName?
    /// The connection's id, which survives renames.
    public var connectionID: ConnectionID
    /// The connection's version after the change (for a drop, the last version it had).
    public var version: UInt64
    /// When the change was made, milliseconds since the epoch (the writer's clock).
    package var changedAt: Int64

    package init(
        revision: UInt64, kind: Kind, workspace: WorkspaceName, name: ConnectionName,
        previousName: ConnectionName? = nil,
        connectionID: ConnectionID, version: UInt64, changedAt: Int64
    ) {
        self.revision = revision
        self.kind = kind
        self.workspace = workspace
        self.name = name
        self.previousName = previousName
        self.connectionID = connectionID
        self.version = version
        self.changedAt = changedAt
    }
}
