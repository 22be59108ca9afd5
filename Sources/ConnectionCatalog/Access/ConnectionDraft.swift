/// What CREATE asks for: a name, a type, properties as the user typed them, a comment.
public struct ConnectionDraft: Sendable {
    package var name: ConnectionName
    package var workspace: WorkspaceName
    package var type: ConnectionType
    /// Properties in the order given, keys as typed (any case, aliases allowed); validated by the catalog.
    package var properties: [(key: String, value: PropertyInput)]
    package var comment: String?

    /// A draft of `properties` given as `String`s (which are the caller's: a `String` cannot be wiped, so keep a
    /// secret's short-lived; the catalog copies sealed values into wiped storage and seals them).
    public init(
        name: ConnectionName, workspace: WorkspaceName = .default, type: ConnectionType,
        properties: [(key: String, value: String)], comment: String? = nil
    ) {
        self.init(
            name: name, workspace: workspace, type: type, inputs: PropertyInput.texts(properties), comment: comment)
    }

    /// A draft whose values may be bytes in wiped storage (the SQL layer's literals).
    package init(
        name: ConnectionName, workspace: WorkspaceName = .default, type: ConnectionType,
        inputs: [(key: String, value: PropertyInput)], comment: String? = nil
    ) {
        self.name = name
        self.workspace = workspace
        self.type = type
        self.properties = inputs
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

/// One ALTER change as the package hands it to `CatalogWriter`: `ConnectionChange` with SET's values as
/// `PropertyInput`s, so that the SQL layer's literals reach the validator in wiped storage.
package enum ConnectionEdit: Sendable {
    /// SET key = 'value', …: keys as typed; sealed ones are sealed.
    case set([(key: String, value: PropertyInput)])
    /// UNSET key, …
    case unset([String])
    /// SET COMMENT = '…' (`nil` removes the comment).
    case comment(String?)
    case enable
    case disable

    /// The edit `change` asks for.
    package init(_ change: ConnectionChange) {
        switch change {
        case .set(let assignments): self = .set(PropertyInput.texts(assignments))
        case .unset(let keys): self = .unset(keys)
        case .comment(let comment): self = .comment(comment)
        case .enable: self = .enable
        case .disable: self = .disable
        }
    }
}
