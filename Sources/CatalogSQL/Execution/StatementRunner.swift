internal import ConnectionCatalog

/// Runs one statement against the catalog API: reads through `CatalogReading`, changes through `CatalogWriter`.
struct StatementRunner: Sendable {
    let workspace: WorkspaceName

    /// Any statement inside a write (a step of a transaction).
    func run(_ statement: Statement, _ writer: CatalogWriter) throws -> StatementOutcome {
        statement.isReadOnly ? try query(statement, writer) : try apply(statement, writer)
    }

    /// DESC and SHOW.
    func query(_ statement: Statement, _ reader: some CatalogReading) throws -> StatementOutcome {
        switch statement {
        case .describeConnection(let describe):
            let name = try describe.name.connectionName()
            if describe.version == nil && !describe.extended {
                guard let result = try DescribeResult.make(named: name, in: workspace, reader: reader) else {
                    throw notFound(name)
                }
                return .resultSet(result)
            }
            guard var connection = try reader.connection(named: name, in: workspace) else { throw notFound(name) }
            if let version = describe.version, version != connection.version {
                guard let earlier = try reader.history(of: connection.id).first(where: { $0.version == version }) else {
                    throw CatalogError(
                        .notFound,
                        "connection '\(name)' has no version \(version) (it is at version \(connection.version)); "
                            + "SHOW CONNECTION HISTORY \(name) lists its versions",
                        details: ["name": name.rawValue, "version": "\(version)"])
                }
                connection = earlier
            }
            return .resultSet(try DescribeResult.make(for: connection, extended: describe.extended, reader: reader))
        case .showConnectionHistory(let history):
            let name = try history.name.connectionName()
            guard let connection = try reader.connection(named: name, in: workspace) else { throw notFound(name) }
            return .resultSet(HistoryResult.make(versions: try reader.history(of: connection.id) + [connection]))
        case .showConnections(let show):
            return .resultSet(try ShowResult.make(for: show, in: workspace, reader: reader))
        default:
            preconditionFailure("query runs DESC and SHOW only")
        }
    }

    /// CREATE, ALTER and DROP.
    func apply(_ statement: Statement, _ writer: CatalogWriter) throws -> StatementOutcome {
        switch statement {
        case .createConnection(let create):
            let draft = try draft(from: create)
            var notices: [ValidationNotice] = []
            switch try writer.create(draft, ifNotExists: create.ifNotExists, notices: &notices) {
            case .created: return .ok(notices: notices.map(\.message))
            case .alreadyExists(let existing):
                return .ok(notices: ["connection '\(existing.name)' already exists; nothing changed"])
            }
        case .dropConnection(let drop):
            let name = try drop.name.connectionName()
            let dropped = try writer.ifExists(name, in: workspace, when: drop.ifExists) {
                try writer.drop(name, in: workspace)
            }
            return .ok(notices: dropped == nil ? ["connection '\(name)' does not exist; nothing dropped"] : [])
        case .alterConnection(let alter):
            let name = try alter.name.connectionName()
            var notices: [ValidationNotice] = []
            let altered: Void? = try writer.ifExists(name, in: workspace, when: alter.ifExists) {
                try applyAlter(alter, named: name, writer, notices: &notices)
            }
            guard altered != nil else { return .ok(notices: ["connection '\(name)' does not exist; nothing changed"]) }
            return .ok(notices: notices.map(\.message))
        default:
            preconditionFailure("apply runs CREATE, ALTER and DROP only")
        }
    }

    /// Applies one ALTER action to the connection named `name`.
    private func applyAlter(
        _ alter: AlterConnection, named name: ConnectionName, _ writer: CatalogWriter,
        notices: inout [ValidationNotice]
    ) throws {
        switch alter.action {
        case .set(let assignments):
            try writer.alter(name, in: workspace, .set(assignments.map(\.input)), notices: &notices)
        case .unset(let keys):
            try writer.alter(name, in: workspace, .unset(keys.map(\.key)))
        case .setComment(let comment):
            try writer.alter(name, in: workspace, .comment(comment))
        case .enable:
            try writer.alter(name, in: workspace, .enable)
        case .disable:
            try writer.alter(name, in: workspace, .disable)
        case .rename(let newName):
            try writer.rename(name, to: try newName.connectionName(), in: workspace)
        case .rotateExternalID:
            try writer.rotateExternalID(of: name, in: workspace)
        }
    }

    private func draft(from create: CreateConnection) throws -> ConnectionDraft {
        guard let type = ConnectionType(parsing: create.typeName.text) else {
            let known = ConnectionType.allCases.map { "\($0.rawValue) (\($0.category.rawValue))" }.joined(
                separator: ", ")
            throw CatalogError(
                .unsupported, "connection type '\(create.typeName.text)' is not supported; use one of \(known)",
                details: ["type": create.typeName.text])
        }
        let category: ConnectionCategory = create.category == .api ? .api : .storage
        guard type.category == category else {
            throw CatalogError(
                .invalidValue,
                "\(type.rawValue) is a \(type.category.rawValue) connection type; write CREATE \(type.category.rawValue) CONNECTION",
                details: ["type": type.rawValue])
        }
        return ConnectionDraft(
            name: try create.name.connectionName(), workspace: workspace, type: type,
            inputs: create.properties.map(\.input), comment: create.comment)
    }

    private func notFound(_ name: ConnectionName) -> CatalogError {
        CatalogError.connectionNotFound(name, in: workspace)
    }
}

extension PropertyAssignment {
    /// The assignment as the domain takes it: the value stays in the lexer's wiped storage, and the validator,
    /// which knows which keys are sealed, decides whether it ever becomes a `String`.
    var input: (key: String, value: PropertyInput) { (key, .wiped(value)) }
}
