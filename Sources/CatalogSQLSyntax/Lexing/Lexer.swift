/// Splits SQL text into tokens, one at a time, tracking line and column.
///
/// The lexer works on a copy of the text's UTF-8 bytes in a `WipedBuffer` (the text may hold secrets; the
/// caller's own `String` cannot be wiped and is the caller's to keep short-lived) and needs no Foundation. A
/// string literal's value (`value(of:)`) is a view of that copy, so decoding one allocates nothing unless it
/// holds a doubled quote. It stops at the first malformed token with a `SQLSyntaxError` located at that
/// token's start; after an error it has already moved past the offending text, so a caller can keep reading
/// to resynchronise (an unterminated string or comment consumes the rest of the input).
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
        var hasDoubledQuotes = false
        var keyword: Keyword?
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            let wordStart = index
            skipWord()
            kind = .identifier
            keyword = bytes.withBytes(from: wordStart, to: index) { Keyword.match($0) }
            text = string(from: wordStart, to: index)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            skipWord()
            // A bare number may be a value (`APP_ID = 1250000000`, or a secret typed without quotes), so its
            // text is read like a literal's, by `value(of:)`.
            kind = .number
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            kind = .string
            hasDoubledQuotes = try skipQuoted(by: byte, at: start, what: "string literal").doubled > 0
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
        return Token(
            kind: kind, text: text, range: range, keyword: keyword, followsLiteral: follows,
            hasDoubledQuotes: hasDoubledQuotes)
    }

    /// The value of `token`, a string literal (decoded) or a number this lexer returned: a view of the wiped
    /// copy of the text, or (only for a literal with doubled quotes) a wiped buffer of its own with them undone.
    package func value(of token: Token) -> SQLStringValue {
        let (start, end) = contents(of: token)
        guard token.hasDoubledQuotes else { return SQLStringValue(bytes, from: start, to: end) }
        let quote = bytes[token.range.offset]
        // Every quote inside the contents is one of a doubled pair.
        var quoteBytes = 0
        for offset in start..<end where bytes[offset] == quote { quoteBytes += 1 }
        let unescaped = WipedBuffer(count: end - start - quoteBytes / 2) { destination in
            _ = copyUndoubling(quote, from: start, to: end, into: destination)
        }
        return SQLStringValue(unescaped, from: 0, to: unescaped.count)
    }

    /// The value of `token` as a `String`, for a literal that is not a property value (a key given in quotes, a
    /// comment, a LIKE pattern), which is not secret.
    package func text(of token: Token) -> String {
        value(of: token).string
    }

    /// The offsets of a literal's contents (inside its quotes) or of a number.
    private func contents(of token: Token) -> (start: Int, end: Int) {
        switch token.kind {
        case .string: (token.range.offset + 1, token.range.endOffset - 1)
        case .number: (token.range.offset, token.range.endOffset)
        default: (token.range.offset, token.range.offset)
        }
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

    /// A name between backticks, where a doubled backtick stands for one.
    private mutating func quotedIdentifier(at start: SourceRange) throws(SQLSyntaxError) -> String {
        let quote = UInt8(ascii: "`")
        let (contentStart, contentEnd, doubled) = try skipQuoted(by: quote, at: start, what: "quoted identifier")
        guard doubled > 0 else { return string(from: contentStart, to: contentEnd) }
        return String(unsafeUninitializedCapacity: contentEnd - contentStart - doubled) { destination in
            guard let base = destination.baseAddress else { return 0 }
            return copyUndoubling(quote, from: contentStart, to: contentEnd, into: base)
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

    /// Copies the contents `start..<end` to `destination`, writing each doubled `quote` once; returns the number
    /// of bytes written.
    private func copyUndoubling(
        _ quote: UInt8, from start: Int, to end: Int, into destination: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var written = 0
        var offset = start
        while offset < end {
            let byte = bytes[offset]
            destination[written] = byte
            written += 1
            offset += byte == quote ? 2 : 1
        }
        return written
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
