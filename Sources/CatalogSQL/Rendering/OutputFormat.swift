/// How the `catalog` program prints statement outcomes: `--format table|json|csv`.
///
/// Each format splits its text between `RenderedOutput.output` (standard output) and
/// `RenderedOutput.diagnostics` (standard error), so that whatever is piped from standard output stays
/// parseable. The JSON and CSV shapes are stable contracts, documented in `docs/cli.md`: tests and other
/// programs read them.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned text for people, like psql; notices and errors go to diagnostics.
    case table
    /// JSON Lines: one object per statement on standard output, errors included.
    case json
    /// RFC 4180 CSV on standard output; notices and errors go to diagnostics.
    case csv

    /// Renders one statement's outcome.
    ///
    /// Write `diagnostics` before `output` so that a notice appears above the result it belongs to. Every
    /// non-empty string ends with a line ending, so outcomes can be written one after another.
    public func render(_ outcome: StatementOutcome) -> RenderedOutput {
        switch self {
        case .table: TableRenderer.render(outcome)
        case .json: JSONLinesRenderer.render(outcome)
        case .csv: CSVRenderer.render(outcome)
        }
    }

    /// Renders one statement's outcome, with results in psql's expanded form (`\x`: one `column | value` line
    /// per column, a record per row) when `expanded` is true and the format is `table`.
    ///
    /// JSON and CSV ignore `expanded`: their shapes are contracts. Everything else is as in `render(_:)`.
    public func render(_ outcome: StatementOutcome, expanded: Bool) -> RenderedOutput {
        expanded && self == .table ? ExpandedRenderer.render(outcome) : render(outcome)
    }

    /// Renders an error that is not tied to a statement, such as a catalog that cannot be opened.
    ///
    /// The text is the same as for `render(.failure(error))`: in JSON an error object on `output`, in the
    /// other formats an `ERROR …` line on `diagnostics`.
    public func renderError(_ error: RenderedError) -> RenderedOutput {
        render(.failure(error))
    }
}

/// The text of one rendered outcome, split by the stream it belongs on.
///
/// `output` is meant for standard output and `diagnostics` for standard error. Either may be empty.
public struct RenderedOutput: Sendable, Equatable {
    /// Text for standard output: results, `OK`, and in JSON everything.
    public var output: String
    /// Text for standard error: `NOTICE:` and `ERROR` lines in the table and CSV formats.
    public var diagnostics: String

    /// Creates rendered text from its two parts.
    public init(output: String = "", diagnostics: String = "") {
        self.output = output
        self.diagnostics = diagnostics
    }
}
