/// What CREATE asks for: a name, a type, properties as the user typed them, a comment.
public struct ConnectionDraft: Sendable {
    package var name: ConnectionName
    package var workspace: WorkspaceName
    package var type: ConnectionType
    /// Properties in the order given, keys as typed (any case, aliases allowed); validated by the catalog.
    package var properties: [(key: String, value: String)]
    package var comment: String?

    public init(
        name: ConnectionName, workspace: WorkspaceName = .default, type: ConnectionType,
        properties: [(key: String, value: String)], comment: String? = nil
    ) {
        self.name = name
        self.workspace = workspace
        self.type = type
        self.properties = properties
        self.comment = comment
    }
}

/// What CREATE did.
public enum CreateOutcome: Sendable {
    /// The connection was created.
    case created(Connection)
    /// IF NOT EXISTS met an existing connection of that name; nothing changed.
    case alreadyExists(Connection)

    public var connection: Connection {
        switch self {
        case .created(let connection), .alreadyExists(let connection): connection
        }
    }
}

/// One ALTER CONNECTION change (other than rename and external-ID rotation, which have their own calls).
public enum ConnectionChange: Sendable {
    /// SET key = 'value', …: keys as typed; sealed ones are sealed.
    case set([(key: String, value: String)])
    /// UNSET key, …
    case unset([String])
    /// SET COMMENT = '…' (`nil` removes the comment).
    case comment(String?)
    case enable
    case disable
}
