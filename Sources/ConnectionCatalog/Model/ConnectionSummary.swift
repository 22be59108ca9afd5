/// What a listing shows of a connection: everything but its properties, decoded without them (SHOW reads one
/// per row, so skipping the property tables matters).
package struct ConnectionSummary: Hashable, Sendable {
    package var id: ConnectionID
    package var name: ConnectionName
    package var workspace: WorkspaceName
    package var type: ConnectionType
    package var comment: String?
    package var enabled: Bool
    package var creator: String
    package var createdAt: Int64
    package var modifiedAt: Int64
    package var version: UInt64

    package var category: ConnectionCategory { type.category }

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

    package init(_ connection: Connection) {
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
