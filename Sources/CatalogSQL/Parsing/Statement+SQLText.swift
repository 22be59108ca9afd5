/// Renders statements back to SQL in one canonical form.
///
/// `sqlText` is what the shell echoes and writes to its history, so call it on a statement that has
/// been through `redacted(isSecret:)`. The rendering always parses back to the same statement, apart
/// from source positions (`Parser.parseOne(s.sqlText).statement.erasingPositions() ==
/// s.erasingPositions()`): keywords are upper case, every `=` is written, COMMENTS is spelled COMMENT,
/// values are single-quoted, and names keep their backticks.
extension Statement {
    /// The statement as canonical SQL, without a trailing `;`.
    public var sqlText: String {
        switch self {
        case .createConnection(let create): return create.sqlText
        case .describeConnection(let describe):
            return "DESCRIBE CONNECTION " + (describe.extended ? "EXTENDED " : "") + SQLText.name(describe.name)
        case .showConnections(let show): return show.sqlText
        case .dropConnection(let drop):
            return "DROP CONNECTION " + (drop.ifExists ? "IF EXISTS " : "") + SQLText.name(drop.name)
        case .alterConnection(let alter): return alter.sqlText
        case .begin: return "BEGIN"
        case .commit: return "COMMIT"
        case .rollback: return "ROLLBACK"
        }
    }
}

extension CreateConnection {
    var sqlText: String {
        var text = "CREATE \(category.rawValue) CONNECTION "
        if ifNotExists { text += "IF NOT EXISTS " }
        text += SQLText.name(name) + " TYPE = " + SQLText.name(typeName)
        switch propertySyntax {
        case .assignments:
            for property in properties {
                text += " " + SQLText.key(property.key) + " = " + SQLText.string(property.value)
            }
        case .withProperties:
            text += " WITH PROPERTIES ("
            text += properties.map { SQLText.string($0.key) + " = " + SQLText.string($0.value) }.joined(separator: ", ")
            text += ")"
        }
        if let comment { text += " COMMENT = " + SQLText.string(comment) }
        return text
    }
}

extension ShowConnections {
    var sqlText: String {
        var text = "SHOW "
        if let category { text += category.rawValue + " " }
        text += "CONNECTIONS"
        switch filter {
        case .none: break
        case .like(let pattern): text += " LIKE " + SQLText.string(pattern)
        case .where(let conditions):
            text += " WHERE "
            text += conditions.map { SQLText.column($0.column) + " = " + SQLText.string($0.value) }
                .joined(separator: " AND ")
        }
        return text
    }
}

extension AlterConnection {
    var sqlText: String {
        var text = "ALTER CONNECTION " + (ifExists ? "IF EXISTS " : "") + SQLText.name(name) + " "
        switch action {
        case .set(let properties):
            text += "SET " + properties.map { SQLText.key($0.key) + " = " + SQLText.string($0.value) }
                .joined(separator: ", ")
        case .unset(let keys): text += "UNSET " + keys.map { SQLText.key($0.key) }.joined(separator: ", ")
        case .setComment(let comment): text += "SET COMMENT = " + SQLText.string(comment)
        case .rename(let newName): text += "RENAME TO " + SQLText.name(newName)
        case .enable: text += "ENABLE"
        case .disable: text += "DISABLE"
        case .rotateExternalID: text += "ROTATE EXTERNAL_ID"
        }
        return text
    }
}

/// Quoting rules shared by the renderers.
enum SQLText {
    /// A single-quoted literal with `'` doubled.
    static func string(_ value: String) -> String {
        quoted(value, by: "'")
    }

    /// A name, in backticks if it was quoted or could not be read back unquoted.
    static func name(_ identifier: SQLIdentifier) -> String {
        if !identifier.isQuoted, isPlainWord(identifier.text),
            Keyword(rawValue: identifier.text.uppercased()) == nil
        {
            return identifier.text
        }
        return backticked(identifier.text)
    }

    /// A WHERE column; keywords are allowed there unquoted (`WHERE type = 'OSS'`).
    static func column(_ identifier: SQLIdentifier) -> String {
        if !identifier.isQuoted, isPlainWord(identifier.text) { return identifier.text }
        return backticked(identifier.text)
    }

    /// A property key: bare when it is a dotted path of plain words, else a string literal.
    static func key(_ key: String) -> String {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        let first = parts.first.map { $0.uppercased() } ?? ""
        if parts.allSatisfy({ isPlainWord($0) }), first != "COMMENT", first != "COMMENTS" { return key }
        return string(key)
    }

    private static func backticked(_ text: String) -> String {
        quoted(text, by: "`")
    }

    /// `text` between `quote`s, with each `quote` inside doubled.
    /// Works on scalars, not characters: a quote followed by a combining mark is one `Character`
    /// but still two scalars, and the lexer reads scalars (bytes).
    private static func quoted(_ text: String, by quote: Unicode.Scalar) -> String {
        var result = String.UnicodeScalarView()
        result.append(quote)
        for scalar in text.unicodeScalars {
            result.append(scalar)
            if scalar == quote { result.append(quote) }
        }
        result.append(quote)
        return String(result)
    }

    /// Whether `text` matches `[A-Za-z_][A-Za-z0-9_]*`.
    static func isPlainWord(_ text: some StringProtocol) -> Bool {
        var isFirst = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                break
            case UInt8(ascii: "0")...UInt8(ascii: "9") where !isFirst:
                break
            default:
                return false
            }
            isFirst = false
        }
        return !isFirst
    }
}
