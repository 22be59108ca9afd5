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
                + (describe.version.map { " AS OF VERSION \($0)" } ?? "")
        case .showConnectionHistory(let history):
            return "SHOW CONNECTION HISTORY " + SQLText.name(history.name)
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
            text +=
                "SET "
                + properties.map { SQLText.key($0.key) + " = " + SQLText.string($0.value) }
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
        quoted(value.utf8, by: UInt8(ascii: "'"))
    }

    /// A property value as a single-quoted literal with `'` doubled (the rendering is text: render a
    /// statement that has been through `redacted(isSecret:)`).
    static func string(_ value: SQLStringValue) -> String {
        value.withUTF8Bytes { quoted($0, by: UInt8(ascii: "'")) }
    }

    /// A name, in backticks if it was quoted or could not be read back unquoted.
    static func name(_ identifier: SQLIdentifier) -> String {
        if !identifier.isQuoted, isPlainWord(identifier.text),
            Keyword.match(identifier.text) == nil
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

    /// A property key: bare when it is a dotted path of plain words not starting with COMMENT(S),
    /// else a string literal.
    static func key(_ key: String) -> String {
        var isBare = true
        var partStart = key.utf8.startIndex
        var firstPart: Substring.UTF8View?
        for index in key.utf8.indices where key.utf8[index] == UInt8(ascii: ".") {
            let part = key.utf8[partStart..<index]
            if firstPart == nil { firstPart = Substring(part).utf8 }
            if !isPlainWord(Substring(part)) { isBare = false }
            partStart = key.utf8.index(after: index)
        }
        let last = Substring(key.utf8[partStart...])
        if !isPlainWord(last) { isBare = false }
        let first = firstPart ?? last.utf8
        if isBare, !equalsIgnoringCase(first, "COMMENT"), !equalsIgnoringCase(first, "COMMENTS") { return key }
        return string(key)
    }

    private static func equalsIgnoringCase(_ word: Substring.UTF8View, _ upper: String) -> Bool {
        word.elementsEqual(upper.utf8) { ($0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0) == $1 }
    }

    private static func backticked(_ text: String) -> String {
        quoted(text.utf8, by: UInt8(ascii: "`"))
    }

    /// `text` between `quote`s, with each `quote` inside doubled.
    ///
    /// Works on UTF-8 bytes, not characters: a quote followed by a combining mark is one `Character`
    /// but still a quote byte to the lexer. An ASCII quote byte never occurs inside a multi-byte
    /// sequence, so doubling bytes keeps the text valid UTF-8.
    private static func quoted(_ text: some Collection<UInt8>, by quote: UInt8) -> String {
        let doubled = text.reduce(0) { $0 + ($1 == quote ? 1 : 0) }
        return String(unsafeUninitializedCapacity: text.count + doubled + 2) { destination in
            var written = 0
            func append(_ byte: UInt8) {
                destination[written] = byte
                written += 1
            }
            append(quote)
            for byte in text {
                append(byte)
                if byte == quote { append(quote) }
            }
            append(quote)
            return written
        }
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
