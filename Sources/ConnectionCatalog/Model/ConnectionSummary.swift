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
