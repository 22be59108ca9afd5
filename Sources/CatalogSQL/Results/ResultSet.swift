/// The rows a statement returns, every value already formatted as text.
///
/// `DESC` and `SHOW` build one of these and hand it to an `OutputFormat`; the renderers never format values
/// themselves, so every format shows exactly the same text. A cell is `nil` for SQL NULL (a value that is
/// absent, not empty): the table form shows it as nothing, CSV as an unquoted empty field and JSON as `null`.
/// Use `""` only for a value that is present and empty.
public struct ResultSet: Sendable, Equatable {
    /// The column names, in order.
    public let columns: [String]
    /// The rows; each has exactly one cell per column, `nil` meaning SQL NULL.
    public let rows: [[String?]]
    /// Messages for people that go with the result, such as "connection 'x' already exists, skipped".
    public var notices: [String]

    /// Creates a result whose cells may be NULL.
    ///
    /// A row whose length differs from `columns.count` is a programmer error and traps, because every renderer
    /// relies on rectangular rows.
    public init(columns: [String], rows: [[String?]], notices: [String] = []) {
        for (index, row) in rows.enumerated() {
            precondition(
                row.count == columns.count,
                "row \(index) has \(row.count) cells but the result has \(columns.count) columns"
            )
        }
        self.columns = columns
        self.rows = rows
        self.notices = notices
    }

    /// Creates a result whose cells are all present.
    ///
    /// Traps like `init(columns:rows:notices:)` when a row's length differs from `columns.count`.
    public init(columns: [String], rows: [[String]], notices: [String] = []) {
        self.init(columns: columns, rows: rows.map { $0.map { Optional($0) } }, notices: notices)
    }
}
