/// One lexical unit of SQL text with where it came from.
///
/// A string literal's contents may be a secret, so a token does not hold them: `Lexer.value(of:)` reads them
/// from the lexer's wiped copy of the text when the parser takes the literal (a token is copied at every
/// lookahead, and holds nothing that needs counting references). Tokens never print a literal: error messages
/// use `Token.summary`, which describes literals only by kind.
package struct Token: Sendable {
    package enum Kind: Hashable, Sendable {
        /// An unquoted word; `keyword` is set when it spells a reserved word.
        case identifier
        /// A word in backticks; never a keyword.
        case quotedIdentifier
        /// Text in single or double quotes.
        case string
        /// A word starting with a digit.
        case number
        case equals
        case comma
        case leftParenthesis
        case rightParenthesis
        case semicolon
        case dot
        case endOfInput
    }

    package var kind: Kind
    /// Identifier text as written; empty for string literals, numbers and punctuation (`Lexer.value(of:)`
    /// reads a literal or a number).
    package var text: String
    package var range: SourceRange
    /// The keyword an unquoted identifier spells, in any case.
    package var keyword: Keyword?
    /// Whether the token touches the end of a string literal with nothing between them. Such a token
    /// is probably the rest of a literal the user meant to write (`'abc'def'`), so it is never quoted.
    package var followsLiteral: Bool
    /// Whether a string literal holds a doubled quote, which decoding undoes.
    package var hasDoubledQuotes: Bool

    package init(
        kind: Kind, text: String = "", range: SourceRange, keyword: Keyword? = nil, followsLiteral: Bool = false,
        hasDoubledQuotes: Bool = false
    ) {
        self.kind = kind
        self.text = text
        self.range = range
        self.keyword = keyword
        self.followsLiteral = followsLiteral
        self.hasDoubledQuotes = hasDoubledQuotes
    }

    package func `is`(_ keyword: Keyword) -> Bool { self.keyword == keyword }

    /// A description for error messages that never reveals a literal's contents.
    package var summary: String {
        switch kind {
        case .identifier:
            if followsLiteral { return "an identifier" }
            return "'\(text)'"
        case .quotedIdentifier:
            if followsLiteral { return "a quoted identifier" }
            return "`\(text)`"
        case .string: return "a string literal"
        case .number: return "a number"
        case .equals: return "'='"
        case .comma: return "','"
        case .leftParenthesis: return "'('"
        case .rightParenthesis: return "')'"
        case .semicolon: return "';'"
        case .dot: return "'.'"
        case .endOfInput: return "the end of the input"
        }
    }

    /// Like `summary`, but names no text at all; used where a value (possibly a secret) was expected.
    package var kindSummary: String {
        switch kind {
        case .identifier: return "an identifier"
        case .quotedIdentifier: return "a quoted identifier"
        default: return summary
        }
    }
}
