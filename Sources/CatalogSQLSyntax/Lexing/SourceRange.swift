/// A span of SQL source text, located both by UTF-8 offset and by line and column.
///
/// Offsets and lengths count UTF-8 bytes so that a range can slice the original text cheaply;
/// `line` and `column` are 1-based and count characters (Unicode scalars), which is what a person
/// reading an error message counts. A range built by code rather than by the lexer is `.unknown`.
public struct SourceRange: Hashable, Sendable {
    /// The UTF-8 offset of the first byte, counted from the start of the parsed text.
    public var offset: Int
    /// The number of UTF-8 bytes the range covers.
    public var length: Int
    /// The 1-based line of the first character (0 for `.unknown`).
    public var line: Int
    /// The 1-based column of the first character, in characters (0 for `.unknown`).
    public var column: Int

    /// Creates a range; the lexer is the usual source of ranges.
    public init(offset: Int, length: Int, line: Int, column: Int) {
        self.offset = offset
        self.length = length
        self.line = line
        self.column = column
    }

    /// The range of syntax that did not come from parsed text (built by code, or erased for comparison).
    public static let unknown = SourceRange(offset: 0, length: 0, line: 0, column: 0)

    /// The UTF-8 offset just past the last byte.
    public var endOffset: Int { offset + length }

    /// The range from the start of `self` to the end of `other`.
    func extended(through other: SourceRange) -> SourceRange {
        SourceRange(offset: offset, length: max(other.endOffset - offset, 0), line: line, column: column)
    }
}
