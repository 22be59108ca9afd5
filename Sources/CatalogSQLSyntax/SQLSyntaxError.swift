/// A statement that could not be read, with the line and column where reading stopped.
///
/// The message names what the parser expected and what it found. It never quotes the contents of a
/// string literal or a number (they may hold a secret such as an access key), only identifiers and
/// punctuation; a literal is described as "a string literal". `isAtEndOfInput` tells an interactive
/// shell that the text is merely unfinished (an open string, comment or statement), so it can ask for
/// another line instead of reporting an error.
public struct SQLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable error code; the raw values are the codes in DESIGN.md §5.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The text is not a well-formed statement.
        public static let syntaxError = Code(rawValue: "syntax_error")
    }

    /// Always `.syntaxError`; present so callers can treat every layer's errors alike.
    public var code: Code { .syntaxError }
    /// What was expected and what was found, without the contents of any literal.
    public var message: String
    /// The 1-based line where the problem starts.
    public var line: Int
    /// The 1-based column (in characters) where the problem starts.
    public var column: Int
    /// The UTF-8 offset where the problem starts.
    public var offset: Int
    /// Whether the text ended before the statement did (open string, open comment, missing words).
    public var isAtEndOfInput: Bool

    /// Creates an error located at the start of `range`.
    public init(_ message: String, at range: SourceRange, isAtEndOfInput: Bool = false) {
        self.message = message
        self.line = range.line
        self.column = range.column
        self.offset = range.offset
        self.isAtEndOfInput = isAtEndOfInput
    }

    /// `syntax error at line L, column C: message`.
    public var description: String { "syntax error at line \(line), column \(column): \(message)" }
}
