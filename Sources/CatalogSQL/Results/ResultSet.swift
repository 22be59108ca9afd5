internal import ConnectionCatalog

/// The rows a statement returns, every value already formatted as text.
///
/// `DESC` and `SHOW` build one of these and hand it to an `OutputFormat`; the renderers never format values
/// themselves, so every format shows exactly the same text. A cell is `nil` for SQL NULL (a value that is
/// absent, not empty): the table form shows it as nothing, CSV as an unquoted empty field and JSON as `null`.
/// Use `""` only for a value that is present and empty.
///
/// The cells are kept as one run of UTF-8 bytes with a span per cell, row after row, rather than an array per
/// row: a DESC or SHOW row is a handful of short cells, and per-row arrays of strings would cost more than the
/// text itself. `rows` builds the nested form when asked.
public struct ResultSet: Sendable, Equatable {
    /// The column names, in order.
    public let columns: [String]
    /// Every cell's text, row after row, column after column.
    package private(set) var text: [UInt8]
    /// Where each cell's text lies in `text`, row after row; `columns.count` per row.
    package private(set) var spans: [CellSpan]
    /// Messages for people that go with the result, such as "connection 'x' already exists, skipped".
    public var notices: [String]

    /// The rows; each has exactly one cell per column, `nil` meaning SQL NULL.
    public var rows: [[String?]] {
        let columnCount = columns.count
        guard columnCount > 0 else { return Array(repeating: [], count: rowCount) }
        return (0..<rowCount).map { row in (0..<columnCount).map { cell(row * columnCount + $0) } }
    }

    /// How many rows the result has, without building them.
    public let rowCount: Int

    /// Creates a result whose cells may be NULL.
    ///
    /// A row whose length differs from `columns.count` is a programmer error and traps, because every renderer
    /// relies on rectangular rows.
    public init(columns: [String], rows: [[String?]], notices: [String] = []) {
        self.init(columns: columns, checkedRows: rows, notices: notices) { $0.append($1) }
    }

    /// Creates a result whose cells are all present.
    ///
    /// Traps like `init(columns:rows:notices:)` when a row's length differs from `columns.count`.
    public init(columns: [String], rows: [[String]], notices: [String] = []) {
        self.init(columns: columns, checkedRows: rows, notices: notices) { $0.append($1) }
    }

    /// Builds the result from nested rows, trapping on a row whose length differs from `columns.count`.
    private init<Cell>(
        columns: [String], checkedRows rows: [[Cell]], notices: [String], append: (inout Builder, Cell) -> Void
    ) {
        var builder = Builder(columns: columns)
        for (index, row) in rows.enumerated() {
            precondition(
                row.count == columns.count,
                "row \(index) has \(row.count) cells but the result has \(columns.count) columns"
            )
            for cell in row { append(&builder, cell) }
        }
        self = builder.result(notices: notices, rowCount: rows.count)
    }

    private init(columns: [String], text: [UInt8], spans: [CellSpan], rowCount: Int, notices: [String]) {
        self.columns = columns
        self.rowCount = rowCount
        self.text = text
        self.spans = spans
        self.notices = notices
    }

    /// The text of cell `index` (row-major), `nil` for NULL.
    package func cell(_ index: Int) -> String? {
        let span = spans[index]
        guard !span.isNull else { return nil }
        return text.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[span.range]), as: UTF8.self)
        }
    }
}

/// Where one cell's text lies in a `ResultSet`'s bytes, or that the cell is NULL.
package struct CellSpan: Sendable, Equatable {
    /// The first byte.
    package var start: UInt32
    /// The byte count, or `UInt32.max` for NULL.
    package var count: UInt32

    package var isNull: Bool { count == .max }
    package var range: Range<Int> { isNull ? Int(start)..<Int(start) : Int(start)..<Int(start) + Int(count) }
}

extension ResultSet {
    /// Builds a result cell by cell, row after row, writing each cell's text straight into the result's bytes
    /// (numbers and times are formatted in place, without a string each).
    package struct Builder {
        let columns: [String]
        private var text: [UInt8] = []
        private var spans: [CellSpan] = []
        private var start = 0

        /// A builder with room for `rows` rows of `bytesPerRow` bytes, so that the usual result grows once.
        package init(columns: [String], rows: Int = 0, bytesPerRow: Int = 0) {
            self.columns = columns
            text.reserveCapacity(rows * bytesPerRow)
            spans.reserveCapacity(rows * columns.count)
        }

        /// Adds a cell of `value`, NULL when `nil`.
        package mutating func append(_ value: String?) {
            guard let value else { return appendNull() }
            let copied: Void? = value.utf8.withContiguousStorageIfAvailable { text.append(contentsOf: $0) }
            if copied == nil { text.append(contentsOf: value.utf8) }
            endCell()
        }

        /// Adds a cell of `value`'s UTF-8 bytes.
        package mutating func append(utf8 value: UnsafeRawBufferPointer) {
            text.append(contentsOf: value)
            endCell()
        }

        /// Adds a NULL cell.
        package mutating func appendNull() {
            spans.append(CellSpan(start: UInt32(text.count), count: .max))
            start = text.count
        }

        /// Adds a cell of `value` in decimal.
        package mutating func append(decimal value: UInt64) {
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for UInt64.max's 20 digits
            withUnsafeMutableBytes(of: &digits) { buffer in
                var position = buffer.count
                var rest = value
                repeat {
                    position -= 1
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                } while rest > 0
                text.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position...]))
            }
            endCell()
        }

        /// Adds a cell of a time as `ValueFormat.timestamp(millisecondsSinceEpoch:)` shows it.
        package mutating func append(timestamp milliseconds: Int64) {
            let written = Timestamp.withISO8601(millisecondsSinceEpoch: milliseconds) { text.append(contentsOf: $0) }
            if !written {
                var value = Timestamp.iso8601(millisecondsSinceEpoch: milliseconds)
                value.withUTF8 { text.append(contentsOf: $0) }
            }
            endCell()
        }

        private mutating func endCell() {
            precondition(text.count < Int(UInt32.max), "a result's text exceeds 4 GiB")
            spans.append(CellSpan(start: UInt32(start), count: UInt32(text.count - start)))
            start = text.count
        }

        /// The result; traps unless every row is complete. `rowCount` is needed only when there are no columns.
        package func result(notices: [String] = [], rowCount: Int? = nil) -> ResultSet {
            precondition(
                columns.isEmpty ? spans.isEmpty : spans.count % columns.count == 0,
                "the last row has \(columns.isEmpty ? 0 : spans.count % columns.count) cells but the result has"
                    + " \(columns.count) columns")
            return ResultSet(
                columns: columns, text: text, spans: spans,
                rowCount: rowCount ?? (columns.isEmpty ? 0 : spans.count / columns.count), notices: notices)
        }
    }
}
