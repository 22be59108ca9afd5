/// The line of the input that an error points at, with a caret under its column, as psql shows it:
///
/// ```
/// ERROR [syntax_error] at line 2, column 6: expected CONNECTION after DESC
/// LINE 2: DESC CONECTION x;
///              ^
/// ```
///
/// The line is echoed for people, on standard error, so every string literal in it shows as `'…'` and every
/// unquoted value as `…`: the text did not necessarily parse, so nothing tells which value is a secret, and
/// none is printed (DESIGN §5). A caret that falls inside a hidden value points at its start.
public enum SourceExcerpt: Sendable {
    /// The two lines (each ending in a newline) for `error` in `text`, whose first line is line `firstLine` of
    /// the input; empty when the error has no position inside `text`.
    public static func lines(for error: RenderedError, in text: String, firstLine: Int = 1) -> String {
        guard let line = error.line, let column = error.column, line >= firstLine, column >= 1 else { return "" }
        // The text is read where it lies, never copied: it may hold a secret (docs/sql.md, "Secret literals in
        // memory"), and only its masked form is built.
        let bytes = text.utf8
        let literals = literalRanges(in: text, firstLine: firstLine)
        // The byte offset where the error's line starts.
        var lineStart = bytes.startIndex
        var current = firstLine
        while current < line {
            guard let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { return "" }
            lineStart = bytes.index(after: newline)
            current += 1
        }
        let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        let start = bytes.distance(from: bytes.startIndex, to: lineStart)
        let end = bytes.distance(from: bytes.startIndex, to: lineEnd)
        let lineText = text[lineStart..<lineEnd]

        var shown = ""
        var width = 0
        var caret: Int?
        var offset = start
        var scalarIndex = 0
        var maskedUntil = -1
        var maskedAt = 0
        for scalar in lineText.unicodeScalars {
            let length = String(scalar).utf8.count
            defer {
                offset += length
                scalarIndex += 1
            }
            if offset < maskedUntil {
                if scalarIndex == column - 1 { caret = maskedAt }
                continue
            }
            if let literal = literals.first(where: { $0.contains(offset) }) {
                maskedUntil = literal.upperBound
                maskedAt = width
                if scalarIndex == column - 1 { caret = width }
                // An unterminated literal runs to the end of the text and shows no closing quote.
                let closes =
                    literal.upperBound <= end && literal.count > 1
                    && byte(at: literal.upperBound - 1, of: bytes) == byte(at: literal.lowerBound, of: bytes)
                let quote = offset == literal.lowerBound && (scalar == "'" || scalar == "\"") ? String(scalar) : ""
                let piece = quote + "…" + (closes && !quote.isEmpty ? quote : "")
                shown += piece
                width += VisibleText.displayWidth(piece)
                continue
            }
            if scalar == "\r" && offset + length == end { continue }
            if scalarIndex == column - 1 { caret = width }
            let piece = scalar == "\t" ? " " : VisibleText.singleLine(String(scalar))
            shown += piece
            width += VisibleText.displayWidth(piece)
        }
        let prefix = "LINE \(line): "
        let at = caret ?? width
        return prefix + shown + "\n" + String(repeating: " ", count: prefix.count + at) + "^\n"
    }

    /// The byte at `offset` of `bytes` (a native string's UTF-8 view moves by an offset in constant time).
    private static func byte(at offset: Int, of bytes: String.UTF8View) -> UInt8 {
        bytes[bytes.index(bytes.startIndex, offsetBy: offset)]
    }

    /// The byte ranges of what is never echoed, quotes included: every string literal (an unterminated one runs
    /// to the end), every word or number given as a value after `=` (a secret may be typed without quotes;
    /// the type name after `TYPE =` is shown), and every word glued to a literal (`'abc'def`).
    private static func literalRanges(in text: String, firstLine: Int) -> [Range<Int>] {
        var lexer = Lexer(text, firstLine: firstLine)
        let bytes = text.utf8
        let byteCount = bytes.count
        var ranges: [Range<Int>] = []
        var previous: Token?
        var beforePrevious: Token?
        while true {
            do throws(SQLSyntaxError) {
                let token = try lexer.next()
                if token.kind == .endOfInput { return ranges }
                let isValueWord = token.kind == .identifier || token.kind == .number || token.kind == .quotedIdentifier
                let afterEquals = previous?.kind == .equals && beforePrevious?.is(.type) != true
                if token.kind == .string || (isValueWord && (afterEquals || token.followsLiteral)) {
                    ranges.append(token.range.offset..<token.range.endOffset)
                }
                beforePrevious = previous
                previous = token
            } catch {
                if error.offset < byteCount,
                    byte(at: error.offset, of: bytes) == UInt8(ascii: "'")
                        || byte(at: error.offset, of: bytes) == UInt8(ascii: "\"")
                {
                    ranges.append(error.offset..<byteCount)
                }
                if error.isAtEndOfInput { return ranges }
                previous = nil
            }
        }
    }
}
