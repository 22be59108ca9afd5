import CatalogSQL

/// Parses one statement and forgets where it was written, for comparison with an expected tree.
func parsed(_ sql: String) throws -> Statement {
    try Parser.parseOne(sql).statement.erasingPositions()
}

/// The syntax error `sql` must produce.
func syntaxError(in sql: String) -> SQLSyntaxError? {
    do {
        _ = try Parser.parse(sql)
        return nil
    } catch {
        return error
    }
}

func name(_ text: String, quoted: Bool = false) -> SQLIdentifier {
    SQLIdentifier(text, isQuoted: quoted)
}

func property(_ key: String, _ value: String) -> PropertyAssignment {
    PropertyAssignment(key: key, value: value)
}
