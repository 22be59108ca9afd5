/// Splits SQL text into tokens, one at a time, tracking line and column.
///
/// The lexer works on a copy of the text's UTF-8 bytes in a `WipedBuffer` (the text may hold secrets; the
/// caller's own `String` cannot be wiped and is the caller's to keep short-lived) and needs no Foundation. A
/// string literal's token points into that copy, so decoding one allocates nothing unless it holds a doubled
/// quote. It stops at the first malformed token with a `SQLSyntaxError` located at that token's start; after an error it has
/// already moved past the offending text, so a caller can keep reading to resynchronise (an
/// unterminated string or comment consumes the rest of the input).
package struct Lexer {
    private let bytes: WipedBuffer
    private var index = 0
    private var line = 1
    private var column = 1
    /// The offset just past the most recent string literal, for `Token.followsLiteral`.
    private var literalEnd = -1

    /// A lexer over `text`, whose first line is line `firstLine` of the input it came from (a script read
    /// piece by piece reports the positions of the whole script).
    package init(_ text: String, firstLine: Int = 1) {
        bytes = WipedBuffer(utf8: text)
        line = firstLine
    }

    /// The current location, where the next token or trivia starts.
    package var location: SourceRange { SourceRange(offset: index, length: 0, line: line, column: column) }

    /// Returns the next token, or `.endOfInput` (repeatedly) once the text is exhausted.
    package mutating func next() throws(SQLSyntaxError) -> Token {
        try skipTrivia()
        let start = location
        guard index < bytes.count else {
            return Token(kind: .endOfInput, range: start)
        }
        let follows = index == literalEnd
        let byte = bytes[index]
        var kind: Token.Kind
        var text = ""
        var literal: SQLStringValue?
        var keyword: Keyword?
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            let wordStart = index
            skipWord()
            kind = .identifier
            keyword = bytes.withBytes(from: wordStart, to: index) { Keyword.match($0) }
            text = string(from: wordStart, to: index)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            let wordStart = index
            skipWord()
            // A bare number may be a value (`APP_ID = 1250000000`, or a secret typed without quotes), so it is
            // kept like a literal, as a view of the wiped text.
            kind = .number
            literal = SQLStringValue(bytes, from: wordStart, to: index)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            kind = .string
            literal = try stringLiteral(quotedBy: byte, at: start)
            literalEnd = index
        case UInt8(ascii: "`"):
            kind = .quotedIdentifier
            text = try quotedIdentifier(at: start)
        case UInt8(ascii: "="):
            kind = .equals
            advance()
        case UInt8(ascii: ","):
            kind = .comma
            advance()
        case UInt8(ascii: "("):
            kind = .leftParenthesis
            advance()
        case UInt8(ascii: ")"):
            kind = .rightParenthesis
            advance()
        case UInt8(ascii: ";"):
            kind = .semicolon
            advance()
        case UInt8(ascii: "."):
            kind = .dot
            advance()
        default:
            let character = skipCharacter()
            throw SQLSyntaxError("unexpected character \(character)", at: start)
        }
        var range = start
        range.length = index - start.offset
        return Token(kind: kind, text: text, literal: literal, range: range, keyword: keyword, followsLiteral: follows)
    }

    // MARK: - Pieces

    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private func peek(_ distance: Int = 0) -> UInt8? {
        let position = index + distance
        return position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWord() {
        while let byte = peek(), Self.isWordByte(byte) {
            advance()
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// Skips whitespace and comments; an unterminated block comment is an error at its `/*`.
    private mutating func skipTrivia() throws(SQLSyntaxError) {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                advance()
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                while let next = peek(), next != UInt8(ascii: "\n") {
                    advance()
                }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                let start = location
                advance()
                advance()
                while true {
                    guard let next = peek() else {
                        throw SQLSyntaxError(
                            "unterminated block comment; close it with '*/'", at: start, isAtEndOfInput: true)
                    }
                    if next == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        advance()
                        advance()
                        break
                    }
                    advance()
                }
            default:
                return
            }
        }
    }

    /// A string literal between `quote`s, where a doubled quote stands for one: a view of the wiped copy of the
    /// text, or (only with doubled quotes) a wiped buffer of its own with them undone.
    private mutating func stringLiteral(
        quotedBy quote: UInt8, at start: SourceRange
    ) throws(SQLSyntaxError)
        -> SQLStringValue
    {
        let (contentStart, contentEnd, doubled) = try skipQuoted(by: quote, at: start, what: "string literal")
        guard doubled > 0 else { return SQLStringValue(bytes, from: contentStart, to: contentEnd) }
        let unescaped = WipedBuffer(count: contentEnd - contentStart - doubled) { destination in
            copyUndoubling(quote, from: contentStart, to: contentEnd, into: destination)
        }
        return SQLStringValue(unescaped, from: 0, to: unescaped.count)
    }

    /// A name between backticks, where a doubled backtick stands for one.
    private mutating func quotedIdentifier(at start: SourceRange) throws(SQLSyntaxError) -> String {
        let quote = UInt8(ascii: "`")
        let (contentStart, contentEnd, doubled) = try skipQuoted(by: quote, at: start, what: "quoted identifier")
        guard doubled > 0 else { return string(from: contentStart, to: contentEnd) }
        return String(unsafeUninitializedCapacity: contentEnd - contentStart - doubled) { destination in
            guard let base = destination.baseAddress else { return 0 }
            copyUndoubling(quote, from: contentStart, to: contentEnd, into: base)
            return destination.count
        }
    }

    /// Moves past text between `quote`s; returns the contents' offsets and how many doubled quotes they hold.
    private mutating func skipQuoted(
        by quote: UInt8, at start: SourceRange, what: String
    ) throws(SQLSyntaxError)
        -> (start: Int, end: Int, doubled: Int)
    {
        advance()
        let contentStart = index
        var doubled = 0
        while true {
            guard let byte = peek() else {
                let closer = quote == UInt8(ascii: "'") ? "'" : quote == UInt8(ascii: "\"") ? "\"" : "`"
                throw SQLSyntaxError(
                    "unterminated \(what); close it with \(closer)", at: start, isAtEndOfInput: true)
            }
            if byte == quote {
                if peek(1) == quote {
                    doubled += 1
                    advance()
                    advance()
                    continue
                }
                let contentEnd = index
                advance()
                return (contentStart, contentEnd, doubled)
            }
            advance()
        }
    }

    /// Copies the contents `start..<end` to `destination`, writing each doubled `quote` once.
    private func copyUndoubling(
        _ quote: UInt8, from start: Int, to end: Int, into destination: UnsafeMutablePointer<UInt8>
    ) {
        var written = 0
        var offset = start
        while offset < end {
            let byte = bytes[offset]
            destination[written] = byte
            written += 1
            offset += byte == quote ? 2 : 1
        }
    }

    /// The text `start..<end` as a `String` (identifiers and numbers, which are not secret).
    private func string(from start: Int, to end: Int) -> String {
        bytes.withBytes(from: start, to: end) { String(decoding: $0, as: UTF8.self) }
    }

    /// Skips one whole character and returns it quoted for a message (`'@'`, or `U+00A0` if unprintable).
    private mutating func skipCharacter() -> String {
        let start = index
        advance()
        while let byte = peek(), byte & 0xC0 == 0x80 {
            advance()
        }
        let scalars = string(from: start, to: index).unicodeScalars
        guard let scalar = scalars.first else { return "?" }
        if scalar.value >= 0x21, scalar.value < 0x7F { return "'\(Character(scalar))'" }
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        return "U+" + hex
    }
}
