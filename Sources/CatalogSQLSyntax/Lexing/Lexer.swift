/// Splits SQL text into tokens, one at a time, tracking line and column.
///
/// The lexer works on the UTF-8 bytes of the text and needs no Foundation. It stops at the first
/// malformed token with a `SQLSyntaxError` located at that token's start; after an error it has
/// already moved past the offending text, so a caller can keep reading to resynchronise (an
/// unterminated string or comment consumes the rest of the input).
package struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    /// The offset just past the most recent string literal, for `Token.followsLiteral`.
    private var literalEnd = -1

    /// A lexer over `text`, whose first line is line `firstLine` of the input it came from (a script read
    /// piece by piece reports the positions of the whole script).
    package init(_ text: String, firstLine: Int = 1) {
        bytes = Array(text.utf8)
        line = firstLine
    }

    /// The current location, where the next token or trivia starts.
    package var location: SourceRange { SourceRange(offset: index, length: 0, line: line, column: column) }

    /// Returns the next token, or `.endOfInput` (repeatedly) once the text is exhausted.
    package mutating func next() throws(SQLSyntaxError) -> Token {
        try skipTrivia()
        let start = location
        guard index < bytes.count else {
            return Token(kind: .endOfInput, text: "", range: start, keyword: nil, followsLiteral: false)
        }
        let follows = index == literalEnd
        let byte = bytes[index]
        var kind: Token.Kind
        var text = ""
        var keyword: Keyword?
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            let wordStart = index
            skipWord()
            kind = .identifier
            keyword = Keyword.match(bytes, from: wordStart, to: index)
            text = String(decoding: bytes[wordStart..<index], as: UTF8.self)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            let wordStart = index
            skipWord()
            kind = .number
            text = String(decoding: bytes[wordStart..<index], as: UTF8.self)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            kind = .string
            text = try quoted(by: byte, at: start, what: "string literal")
            literalEnd = index
        case UInt8(ascii: "`"):
            kind = .quotedIdentifier
            text = try quoted(by: byte, at: start, what: "quoted identifier")
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
        return Token(kind: kind, text: text, range: range, keyword: keyword, followsLiteral: follows)
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

    /// Reads text between `quote`s, where a doubled quote stands for one; returns the contents.
    private mutating func quoted(
        by quote: UInt8, at start: SourceRange, what: String
    ) throws(SQLSyntaxError)
        -> String
    {
        advance()
        let contentStart = index
        var unescaped: [UInt8]?  // only allocated when the literal holds a doubled quote
        while true {
            guard let byte = peek() else {
                let closer = quote == UInt8(ascii: "'") ? "'" : quote == UInt8(ascii: "\"") ? "\"" : "`"
                throw SQLSyntaxError(
                    "unterminated \(what); close it with \(closer)", at: start, isAtEndOfInput: true)
            }
            if byte == quote {
                if peek(1) == quote {
                    if unescaped == nil { unescaped = Array(bytes[contentStart..<index]) }
                    unescaped?.append(quote)
                    advance()
                    advance()
                    continue
                }
                let contentEnd = index
                advance()
                if let unescaped { return String(decoding: unescaped, as: UTF8.self) }
                return String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self)
            }
            unescaped?.append(byte)
            advance()
        }
    }

    /// Skips one whole character and returns it quoted for a message (`'@'`, or `U+00A0` if unprintable).
    private mutating func skipCharacter() -> String {
        let start = index
        advance()
        while let byte = peek(), byte & 0xC0 == 0x80 {
            advance()
        }
        let scalars = String(decoding: bytes[start..<index], as: UTF8.self).unicodeScalars
        guard let scalar = scalars.first else { return "?" }
        if scalar.value >= 0x21, scalar.value < 0x7F { return "'\(Character(scalar))'" }
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        return "U+" + hex
    }
}
