/// Reads SQL text of the connection dialect into statements (DESIGN.md §5).
///
/// The parser is hand-written recursive descent over the lexer's tokens, with one token of
/// lookahead, and reads the text lazily: `statements(in:)` yields each statement as soon as it is
/// read, so a script can run the statements before a syntax error and report the error in place.
/// A syntax error's message names what was expected and what was found but never the contents of
/// a string literal (see `SQLSyntaxError`).
///
/// The parser reads a copy of the text in storage that is wiped when the last statement from it goes, and a
/// property value is an `SQLStringValue` in that storage. The `String` passed in is the caller's: Swift strings
/// are immutable values that cannot be wiped, so keep one that holds a secret short-lived.
public enum Parser: Sendable {
    /// Parses every statement of `text`; `;` separates statements and empty ones are skipped.
    ///
    /// - Throws: `SQLSyntaxError` for the first malformed statement; nothing after it is read.
    public static func parse(_ text: String) throws(SQLSyntaxError) -> [ParsedStatement] {
        var reader = StatementReader(text)
        var statements: [ParsedStatement] = []
        while let statement = try reader.nextStatement() {
            statements.append(statement)
        }
        return statements
    }

    /// Parses text that must hold exactly one statement (a trailing `;` is allowed).
    ///
    /// - Throws: `SQLSyntaxError` if the statement is malformed, if there is none, or if a second follows.
    public static func parseOne(_ text: String) throws(SQLSyntaxError) -> ParsedStatement {
        var reader = StatementReader(text)
        guard let statement = try reader.nextStatement() else {
            throw SQLSyntaxError(
                "expected a statement, found the end of the input", at: reader.location, isAtEndOfInput: true)
        }
        if let extra = try reader.nextStatement() {
            throw SQLSyntaxError("expected a single statement, found a second one", at: extra.range)
        }
        return statement
    }

    /// Whether `text` ends where a statement ends: its last token is `;` (comments after it do not count), and
    /// no string, quoted identifier or comment is left open. A shell or a script reader runs the text once
    /// this holds, and waits for more input otherwise.
    public static func endsStatement(_ text: String) -> Bool {
        var lexer = Lexer(text)
        var last: Token.Kind?
        while true {
            let token: Token
            do {
                token = try lexer.next()
            } catch {
                if error.isAtEndOfInput { return false }
                last = nil
                continue
            }
            if token.kind == .endOfInput { return last == .semicolon }
            last = token.kind
        }
    }

    /// Reads `text` statement by statement, resynchronising after each syntax error at the next `;`.
    ///
    /// Each element is a parsed statement or the syntax error of one statement; an unterminated
    /// string or comment swallows the rest of the text, so nothing follows its error.
    ///
    /// `firstLine` is the line of the input where `text` starts, for a script read piece by piece: errors and
    /// statement ranges then carry the script's line numbers.
    public static func statements(in text: String, firstLine: Int = 1) -> StatementSequence {
        StatementSequence(reader: StatementReader(text, firstLine: firstLine))
    }
}

/// The statements of a script, each parsed or failed on its own; see `Parser.statements(in:)`.
public struct StatementSequence: Sequence, IteratorProtocol, Sendable {
    private var reader: StatementReader

    init(reader: StatementReader) {
        self.reader = reader
    }

    /// The next statement, the syntax error of the next statement, or `nil` at the end of the text.
    public mutating func next() -> Result<ParsedStatement, SQLSyntaxError>? {
        do throws(SQLSyntaxError) {
            guard let statement = try reader.nextStatement() else { return nil }
            return .success(statement)
        } catch {
            reader.skipToNextStatement()
            return .failure(error)
        }
    }
}

/// The recursive-descent parser proper: a lexer plus one token of lookahead, read on demand.
struct StatementReader: Sendable {
    private var lexer: Lexer
    private var lookahead: Token?
    private var lastConsumed = SourceRange.unknown

    init(_ text: String, firstLine: Int = 1) {
        lexer = Lexer(text, firstLine: firstLine)
    }

    var location: SourceRange { lookahead?.range ?? lexer.location }

    // MARK: - Statements

    /// Reads the next non-empty statement and its terminating `;` (or the end), or `nil` at the end.
    mutating func nextStatement() throws(SQLSyntaxError) -> ParsedStatement? {
        while try accept(.semicolon) {}
        let first = try peek()
        if first.kind == .endOfInput { return nil }
        let statement = try parseStatement()
        let range = first.range.extended(through: lastConsumed)
        return ParsedStatement(statement: statement, range: range)
    }

    /// Skips the rest of a failed statement, up to and including the next `;`.
    mutating func skipToNextStatement() {
        while true {
            do throws(SQLSyntaxError) {
                let token = try take()
                if token.kind == .semicolon || token.kind == .endOfInput { return }
            } catch {
                // The lexer has moved past the bad text; keep skipping.
                continue
            }
        }
    }

    private mutating func parseStatement() throws(SQLSyntaxError) -> Statement {
        let token = try peek()
        let statement: Statement
        switch token.kind == .identifier ? token.keyword : nil {
        case .create:
            consume()
            statement = .createConnection(try parseCreate())
        case .desc, .describe:
            consume()
            statement = .describeConnection(try parseDescribe(after: token.text.uppercased()))
        case .show:
            consume()
            if try peek().is(.connection) {
                statement = .showConnectionHistory(try parseShowHistory())
            } else {
                statement = .showConnections(try parseShow())
            }
        case .drop:
            consume()
            statement = .dropConnection(try parseDrop())
        case .alter:
            consume()
            statement = .alterConnection(try parseAlter())
        case .begin:
            consume()
            try acceptTransactionWord()
            try expectEnd(after: "BEGIN")
            statement = .begin
        case .commit:
            consume()
            try acceptTransactionWord()
            try expectEnd(after: "COMMIT")
            statement = .commit
        case .rollback:
            consume()
            try acceptTransactionWord()
            try expectEnd(after: "ROLLBACK")
            statement = .rollback
        default:
            throw unexpected(
                token, expected: "a statement (CREATE, DESC, DESCRIBE, SHOW, DROP, ALTER, BEGIN, COMMIT or ROLLBACK)")
        }
        return statement
    }

    private mutating func parseCreate() throws(SQLSyntaxError) -> CreateConnection {
        let category: StatementCategory
        if try accept(.api) {
            category = .api
        } else if try accept(.storage) {
            category = .storage
        } else {
            throw unexpected(try peek(), expected: "API or STORAGE after CREATE")
        }
        try expect(.connection, after: "CREATE \(category.rawValue)")
        var ifNotExists = false
        if try accept(.if) {
            try expect(.not, after: "IF")
            try expect(.exists, after: "IF NOT")
            ifNotExists = true
        }
        let name = try parseName(after: ifNotExists ? "IF NOT EXISTS" : "CREATE \(category.rawValue) CONNECTION")
        try expect(.type, after: "the connection name")
        _ = try accept(.equals)
        let typeToken = try peek()
        guard typeToken.kind == .quotedIdentifier || (typeToken.kind == .identifier && typeToken.keyword == nil) else {
            throw unexpected(typeToken, expected: "a connection type such as CLOUD_FUNCTION, OSS, COS or S3 after TYPE")
        }
        consume()
        let typeName = SQLIdentifier(
            typeToken.text, isQuoted: typeToken.kind == .quotedIdentifier, position: typeToken.range)

        var properties: [PropertyAssignment] = []
        var syntax = CreateConnection.PropertySyntax.assignments
        if try accept(.with) {
            syntax = .withProperties
            try expect(.properties, after: "WITH")
            try expect(.leftParenthesis, after: "WITH PROPERTIES")
            repeat {
                properties.append(try parseAssignment(listName: "WITH PROPERTIES"))
            } while try accept(.comma)
            try expect(.rightParenthesis, after: "the last property of WITH PROPERTIES", or: "','")
        } else {
            while try startsPropertyKey(peek()) {
                properties.append(try parseAssignment(listName: nil))
                _ = try accept(.comma)
            }
        }
        var comment: String?
        let hasComment = try accept(.comment) ? true : try accept(.comments)
        if hasComment {
            _ = try accept(.equals)
            comment = try expectString(after: "COMMENT")
            try expectEnd(after: "the comment")
        } else if syntax == .withProperties {
            try expectEnd(after: "WITH PROPERTIES (…)", alternatives: "COMMENT")
        } else {
            try expectEnd(after: "the properties", alternatives: "a property assignment KEY = '…', COMMENT")
        }
        return CreateConnection(
            category: category, ifNotExists: ifNotExists, name: name, typeName: typeName, properties: properties,
            propertySyntax: syntax, comment: comment)
    }

    private mutating func parseDescribe(after verb: String) throws(SQLSyntaxError) -> DescribeConnection {
        try expect(.connection, after: verb)
        let extended = try accept(.extended)
        let name = try parseName(after: extended ? "EXTENDED" : "\(verb) CONNECTION")
        guard try acceptWord("AS") else {
            try expectEnd(after: "the connection name", alternatives: "AS OF VERSION")
            return DescribeConnection(name: name, extended: extended)
        }
        guard try acceptWord("OF") else { throw unexpected(try peek(), expected: "OF after AS") }
        guard try acceptWord("VERSION") else { throw unexpected(try peek(), expected: "VERSION after AS OF") }
        let number = try peek()
        guard number.kind == .number, let version = UInt64(lexer.text(of: number)), version > 0 else {
            throw unexpected(number, expected: "a version number (1, 2, …) after AS OF VERSION")
        }
        consume()
        try expectEnd(after: "the version number")
        return DescribeConnection(name: name, extended: extended, version: version, versionPosition: number.range)
    }

    /// `SHOW CONNECTION HISTORY name`, after SHOW.
    private mutating func parseShowHistory() throws(SQLSyntaxError) -> ShowConnectionHistory {
        try expect(.connection, after: "SHOW")
        guard try acceptWord("HISTORY") else {
            throw unexpected(try peek(), expected: "HISTORY after SHOW CONNECTION (or SHOW CONNECTIONS for the list)")
        }
        let name = try parseName(after: "SHOW CONNECTION HISTORY")
        try expectEnd(after: "the connection name")
        return ShowConnectionHistory(name: name)
    }

    /// Consumes the next token if it is the unreserved word `word` (any case), which is not a keyword.
    private mutating func acceptWord(_ word: String) throws(SQLSyntaxError) -> Bool {
        let token = try peek()
        guard token.kind == .identifier, token.keyword == nil, token.text.uppercased() == word else { return false }
        consume()
        return true
    }

    private mutating func parseShow() throws(SQLSyntaxError) -> ShowConnections {
        var category: StatementCategory?
        if try accept(.api) {
            category = .api
        } else if try accept(.storage) {
            category = .storage
        }
        let showWords = category.map { "SHOW \($0.rawValue)" } ?? "SHOW"
        if category == nil, try !peek().is(.connections) {
            throw unexpected(try peek(), expected: "API, STORAGE or CONNECTIONS after SHOW")
        }
        try expect(.connections, after: showWords)
        var filter = ShowConnections.Filter.none
        if try accept(.like) {
            filter = .like(try expectString(after: "LIKE"))
            if try peek().is(.where) {
                throw SQLSyntaxError("LIKE and WHERE cannot be combined in SHOW CONNECTIONS", at: try peek().range)
            }
            try expectEnd(after: "the LIKE pattern")
        } else if try accept(.where) {
            var conditions: [ShowCondition] = []
            repeat {
                let column = try peek()
                guard column.kind == .identifier || column.kind == .quotedIdentifier else {
                    throw unexpected(column, expected: "a column name such as name, type or enabled in WHERE")
                }
                consume()
                try expect(.equals, after: "the column \(column.text)")
                let valueToken = try peek()
                let value = try expectString(after: "'=' in WHERE")
                conditions.append(
                    ShowCondition(
                        column: SQLIdentifier(
                            column.text, isQuoted: column.kind == .quotedIdentifier, position: column.range),
                        value: value, valuePosition: valueToken.range))
            } while try accept(.and)
            if try peek().is(.like) {
                throw SQLSyntaxError("LIKE and WHERE cannot be combined in SHOW CONNECTIONS", at: try peek().range)
            }
            try expectEnd(after: "the WHERE condition", alternatives: "AND")
            filter = .where(conditions)
        } else {
            try expectEnd(after: "CONNECTIONS", alternatives: "LIKE, WHERE")
        }
        return ShowConnections(category: category, filter: filter)
    }

    private mutating func parseDrop() throws(SQLSyntaxError) -> DropConnection {
        try expect(.connection, after: "DROP")
        let ifExists = try parseIfExists()
        let name = try parseName(after: ifExists ? "IF EXISTS" : "DROP CONNECTION")
        try expectEnd(after: "the connection name")
        return DropConnection(name: name, ifExists: ifExists)
    }

    private mutating func parseAlter() throws(SQLSyntaxError) -> AlterConnection {
        try expect(.connection, after: "ALTER")
        let ifExists = try parseIfExists()
        let name = try parseName(after: ifExists ? "IF EXISTS" : "ALTER CONNECTION")
        let action: AlterConnection.Action
        let token = try peek()
        switch token.kind == .identifier ? token.keyword : nil {
        case .set:
            consume()
            if try accept(.comment) {
                _ = try accept(.equals)
                action = .setComment(try expectString(after: "SET COMMENT"))
                try expectEnd(after: "the comment")
            } else {
                var assignments: [PropertyAssignment] = []
                repeat {
                    let next = try peek()
                    if next.is(.comment) || next.is(.comments) {
                        throw SQLSyntaxError(
                            "SET COMMENT must be an ALTER statement of its own, not part of a property list",
                            at: next.range)
                    }
                    assignments.append(try parseAssignment(listName: "SET"))
                } while try accept(.comma)
                try expectEnd(after: "the property value", alternatives: "','")
                action = .set(assignments)
            }
        case .unset:
            consume()
            var keys: [PropertyName] = []
            repeat {
                let (key, position, _) = try parsePropertyKey(context: "UNSET")
                keys.append(PropertyName(key, position: position))
            } while try accept(.comma)
            try expectEnd(after: "the property key", alternatives: "','")
            action = .unset(keys)
        case .rename:
            consume()
            try expect(.to, after: "RENAME")
            action = .rename(try parseName(after: "RENAME TO"))
            try expectEnd(after: "the new name")
        case .enable:
            consume()
            action = .enable
            try expectEnd(after: "ENABLE")
        case .disable:
            consume()
            action = .disable
            try expectEnd(after: "DISABLE")
        case .rotate:
            consume()
            let target = try peek()
            guard target.kind == .identifier, target.text.uppercased() == "EXTERNAL_ID" else {
                throw unexpected(target, expected: "EXTERNAL_ID after ROTATE")
            }
            consume()
            action = .rotateExternalID
            try expectEnd(after: "ROTATE EXTERNAL_ID")
        default:
            throw unexpected(
                token,
                expected: "SET, UNSET, RENAME TO, ENABLE, DISABLE or ROTATE EXTERNAL_ID after the connection name")
        }
        return AlterConnection(name: name, ifExists: ifExists, action: action)
    }

    // MARK: - Pieces of statements

    private mutating func parseIfExists() throws(SQLSyntaxError) -> Bool {
        guard try accept(.if) else { return false }
        try expect(.exists, after: "IF")
        return true
    }

    private mutating func acceptTransactionWord() throws(SQLSyntaxError) {
        let token = try peek()
        if token.kind == .identifier, ["TRANSACTION", "WORK"].contains(token.text.uppercased()) {
            consume()
        }
    }

    /// A connection name: an unquoted identifier that is not a keyword, or any backticked one.
    private mutating func parseName(after context: @autoclosure () -> String) throws(SQLSyntaxError) -> SQLIdentifier {
        let token = try peek()
        switch token.kind {
        case .quotedIdentifier:
            consume()
            return SQLIdentifier(token.text, isQuoted: true, position: token.range)
        case .identifier where token.keyword == nil:
            consume()
            return SQLIdentifier(token.text, isQuoted: false, position: token.range)
        case .identifier where !token.followsLiteral:
            throw SQLSyntaxError(
                "expected a connection name after \(context()), found the keyword \(token.summary); "
                    + "write `\(token.text)` in backticks to use it as a name",
                at: token.range)
        case .number:
            throw SQLSyntaxError(
                "expected a connection name after \(context()), found a number; "
                    + "a name that starts with a digit must be written in backticks",
                at: token.range)
        default:
            throw unexpected(token, expected: "a connection name after \(context())")
        }
    }

    /// Whether `token` can start a property assignment in the `KEY = '…' …` form of CREATE.
    private func startsPropertyKey(_ token: Token) -> Bool {
        switch token.kind {
        case .string, .quotedIdentifier: return true
        case .identifier: return token.keyword != .comment && token.keyword != .comments
        default: return false
        }
    }

    /// A property key: a string literal, a backticked word, or identifiers joined by dots.
    ///
    /// Returns the key, its range, and a label safe for error messages (the key itself only when it
    /// was an unquoted identifier, since a misplaced literal may be a secret).
    private mutating func parsePropertyKey(
        context: String
    ) throws(SQLSyntaxError)
        -> (key: String, position: SourceRange, label: String)
    {
        let first = try peek()
        switch first.kind {
        case .string:
            consume()
            return (lexer.text(of: first), first.range, "the property key")
        case .quotedIdentifier:
            consume()
            return (first.text, first.range, "the property key")
        case .identifier:
            consume()
            var key = first.text
            var range = first.range
            while try accept(.dot) {
                let part = try peek()
                guard part.kind == .identifier else {
                    throw unexpected(part, expected: "a word after '.' in the property key \(key)")
                }
                consume()
                key += "." + part.text
                range = range.extended(through: part.range)
            }
            return (key, range, first.followsLiteral ? "the property key" : key)
        default:
            throw unexpected(first, expected: "a property key after \(context)")
        }
    }

    /// `key = 'value'`; a value may also be a bare number (`APP_ID = 1250000000`).
    private mutating func parseAssignment(listName: String?) throws(SQLSyntaxError) -> PropertyAssignment {
        let (key, keyPosition, label) = try parsePropertyKey(context: listName ?? "the connection type")
        try expect(.equals, after: label)
        let value = try peek()
        guard value.kind == .string || value.kind == .number else {
            // Never quote the token: whatever stands here may be a secret written without quotes.
            throw SQLSyntaxError(
                "expected a string literal as the value of \(label), found \(value.kindSummary)",
                at: value.range, isAtEndOfInput: value.kind == .endOfInput)
        }
        consume()
        return PropertyAssignment(
            key: key, keyPosition: keyPosition, value: lexer.value(of: value), valuePosition: value.range)
    }

    // MARK: - Tokens

    private mutating func peek() throws(SQLSyntaxError) -> Token {
        if let lookahead { return lookahead }
        let token = try lexer.next()
        lookahead = token
        return token
    }

    private mutating func consume() {
        if let lookahead, lookahead.kind != .endOfInput { lastConsumed = lookahead.range }
        lookahead = nil
    }

    private mutating func take() throws(SQLSyntaxError) -> Token {
        let token = try peek()
        consume()
        return token
    }

    private mutating func accept(_ keyword: Keyword) throws(SQLSyntaxError) -> Bool {
        let token = try peek()
        guard token.kind == .identifier, token.keyword == keyword else { return false }
        consume()
        return true
    }

    private mutating func accept(_ kind: Token.Kind) throws(SQLSyntaxError) -> Bool {
        guard try peek().kind == kind else { return false }
        consume()
        return true
    }

    private mutating func expect(_ keyword: Keyword, after context: @autoclosure () -> String) throws(SQLSyntaxError) {
        guard try accept(keyword) else {
            throw unexpected(try peek(), expected: "\(keyword.rawValue) after \(context())")
        }
    }

    private mutating func expect(
        _ kind: Token.Kind, after context: @autoclosure () -> String, or alternative: String? = nil
    )
        throws(SQLSyntaxError)
    {
        guard try accept(kind) else {
            let symbol = Token(kind: kind, range: .unknown).summary
            let expected = alternative.map { "\(symbol) or \($0)" } ?? symbol
            throw unexpected(try peek(), expected: "\(expected) after \(context())")
        }
    }

    private mutating func expectString(after context: String) throws(SQLSyntaxError) -> String {
        let token = try peek()
        guard token.kind == .string else {
            throw SQLSyntaxError(
                "expected a string literal after \(context), found \(token.kindSummary)",
                at: token.range, isAtEndOfInput: token.kind == .endOfInput)
        }
        consume()
        return lexer.text(of: token)
    }

    /// Requires the statement to end here, with `;` or the end of the input (the `;` stays for the caller).
    private mutating func expectEnd(after context: String, alternatives: String? = nil) throws(SQLSyntaxError) {
        let token = try peek()
        guard token.kind == .semicolon || token.kind == .endOfInput else {
            let expected = alternatives.map { "\($0), ';' or the end of the input" } ?? "';' or the end of the input"
            throw unexpected(token, expected: "\(expected) after \(context)")
        }
    }

    private func unexpected(_ token: Token, expected: String) -> SQLSyntaxError {
        SQLSyntaxError(
            "expected \(expected), found \(token.summary)", at: token.range, isAtEndOfInput: token.kind == .endOfInput)
    }
}
