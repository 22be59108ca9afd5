internal import ConnectionCatalog

/// Turns a catalog error into its rendered form, pointing at the part of the statement it is about: the
/// property it names, else the connection name, else the statement's start.
enum StatementError {
    static func render(_ error: CatalogError, in statement: ParsedStatement) -> RenderedError {
        let position = position(of: error, in: statement.statement) ?? statement.range
        var rendered = RenderedError(error)
        if let name = error.details["name"], error.code == .notFound, error.details["workspace"] != nil,
            error.details["version"] == nil
        {
            rendered.message = "connection '\(name)' does not exist; SHOW CONNECTIONS lists the ones that do"
        } else if let hint = hint(for: error, in: statement.statement) {
            rendered.message += "; " + hint
        }
        rendered.line = position.line
        rendered.column = position.column
        return rendered
    }

    static func render(_ error: SQLSyntaxError) -> RenderedError {
        RenderedError(code: error.code.rawValue, message: error.message, line: error.line, column: error.column)
    }

    /// What to do, in the words of SQL: the catalog's errors say what is wrong and carry the details, and each
    /// layer phrases the remedy in its own terms (a library caller has no IF NOT EXISTS to add).
    private static func hint(for error: CatalogError, in statement: Statement) -> String? {
        switch (error.code, statement) {
        case (.alreadyExists, .createConnection): "use IF NOT EXISTS or another name"
        case (.alreadyExists, .alterConnection): "choose another name"
        case (.invalidValue, _) where error.details["reason"] == "generated":
            "use ALTER CONNECTION … ROTATE EXTERNAL_ID to replace it"
        default: nil
        }
    }

    private static func position(of error: CatalogError, in statement: Statement) -> SourceRange? {
        let property = error.details["property"]?.uppercased()
        func matches(_ key: String) -> Bool {
            guard let property else { return false }
            let typed = key.uppercased()
            return typed == property || typed.hasSuffix(".\(property)")
        }
        switch statement {
        case .createConnection(let create):
            // A duplicate is wrong where it is given the second time.
            let candidates = error.code == .duplicateProperty ? create.properties.reversed() : create.properties
            if let assignment = candidates.first(where: { matches($0.key) }) {
                return error.code == .invalidValue ? assignment.valuePosition : assignment.keyPosition
            }
            if error.code == .invalidIdentifier || error.code == .alreadyExists { return create.name.position }
            if error.details["type"] != nil { return create.typeName.position }
            return nil
        case .alterConnection(let alter):
            switch alter.action {
            case .set(let assignments):
                let candidates = error.code == .duplicateProperty ? assignments.reversed() : assignments
                if let assignment = candidates.first(where: { matches($0.key) }) {
                    return error.code == .invalidValue ? assignment.valuePosition : assignment.keyPosition
                }
            case .unset(let keys):
                if let key = keys.first(where: { matches($0.key) }) { return key.position }
            case .rename(let newName):
                if error.code == .alreadyExists || error.code == .invalidIdentifier { return newName.position }
            default:
                break
            }
            return alter.name.position
        case .describeConnection(let describe):
            return error.details["version"] != nil ? describe.versionPosition : describe.name.position
        case .showConnectionHistory(let history): return history.name.position
        case .showConnections(let show):
            guard case .where(let conditions) = show.filter, let column = error.details["column"] else { return nil }
            return conditions.first { $0.column.text == column }?.column.position
        case .dropConnection(let drop): return drop.name.position
        default: return nil
        }
    }
}
