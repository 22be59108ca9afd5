/// An error as the user sees it: a stable code, a message and, for syntax errors, where it happened.
///
/// This is the shape every output format shows, separate from the layers' own error types so that rendering
/// never looks at an underlying cause (which could carry text that must not be printed). `code` is one of the
/// codes of DESIGN.md §5 (`syntax_error`, `not_found`, …); programs match on it, so it never changes meaning.
public struct RenderedError: Error, Sendable, Equatable {
    /// The stable, machine-readable code, such as `not_found`.
    public var code: String
    /// What went wrong and what to do about it, for people.
    public var message: String
    /// The 1-based line in the statement text, when the error has a position.
    public var line: Int?
    /// The 1-based column (in characters) in the statement text, when the error has a position.
    public var column: Int?

    /// Creates an error; pass `line` and `column` only when the error points at a place in the text.
    public init(code: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
    }
}
