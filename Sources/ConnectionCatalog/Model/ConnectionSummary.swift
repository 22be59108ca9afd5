/// What a listing shows of a connection: everything but its properties, decoded without them (SHOW reads one
/// per row, so skipping the property tables matters).
public struct ConnectionSummary: Hashable, Sendable {
    public var id: ConnectionID
    public var name: ConnectionName
    public var workspace: WorkspaceName
    public var type: ConnectionType
    public var comment: String?
    public var enabled: Bool
    public var creator: String
    public var createdAt: Int64
    public var modifiedAt: Int64
    public var version: UInt64

    public var category: ConnectionCategory { type.category }

    /// Memberwise, for the record decoder.
    init(
        id: ConnectionID, name: ConnectionName, workspace: WorkspaceName, type: ConnectionType, comment: String?,
        enabled: Bool, creator: String, createdAt: Int64, modifiedAt: Int64, version: UInt64
    ) {
        self.id = id
        self.name = name
        self.workspace = workspace
        self.type = type
        self.comment = comment
        self.enabled = enabled
        self.creator = creator
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
        self.version = version
    }

    public init(_ connection: Connection) {
        id = connection.id
        name = connection.name
        workspace = connection.workspace
        type = connection.type
        comment = connection.comment
        enabled = connection.enabled
        creator = connection.creator
        createdAt = connection.createdAt
        modifiedAt = connection.modifiedAt
        version = connection.version
    }
}
