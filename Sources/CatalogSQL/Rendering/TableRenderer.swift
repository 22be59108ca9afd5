/// Renders outcomes as psql-like aligned text for people.
///
/// ```
///  name  | category | enabled
/// -------+----------+---------
///  sales | API      | ENABLED
/// (1 row)
/// ```
/// Each cell is padded to its column's display width with one space either side; trailing spaces are not
/// printed. Line breaks in a value show as `↵` and other control characters as Unicode control pictures, so a
/// row is always one line. NULL shows as nothing. `OK` and results go to output; `NOTICE:` and `ERROR` lines
/// to diagnostics.
enum TableRenderer {
    static func render(_ outcome: StatementOutcome) -> RenderedOutput {
        switch outcome {
        case .resultSet(let result):
            RenderedOutput(output: table(result), diagnostics: DiagnosticLines.notices(result.notices))
        case .ok(let notices):
            RenderedOutput(output: "OK\n", diagnostics: DiagnosticLines.notices(notices))
        case .failure(let error):
            RenderedOutput(diagnostics: DiagnosticLines.error(error))
        }
    }

    private static func table(_ result: ResultSet) -> String {
        let columnCount = result.columns.count
        // Every cell, header first, made single-line and measured once, in flat arrays: a DESC or SHOW row is
        // a handful of short cells, and per-row arrays would cost more than the text itself.
        var cells: [String] = []
        var cellWidths: [Int] = []
        cells.reserveCapacity((result.rows.count + 1) * columnCount)
        cellWidths.reserveCapacity((result.rows.count + 1) * columnCount)
        var widths = [Int](repeating: 0, count: columnCount)
        func add(_ text: String, column: Int) {
            // Printable ASCII, nearly every cell, shows as it is, one column a byte.
            let plain = VisibleText.isPrintableASCII(text)
            let shown = plain ? text : VisibleText.singleLine(text)
            let width = plain ? text.utf8.count : VisibleText.displayWidth(shown)
            cells.append(shown)
            cellWidths.append(width)
            widths[column] = max(widths[column], width)
        }
        for (column, name) in result.columns.enumerated() { add(name, column: column) }
        for row in result.rows {
            for (column, cell) in row.enumerated() { add(cell ?? "", column: column) }
        }

        // Written straight into the string's storage, sized from the cells' bytes: appending piece by piece to
        // a String or an array costs more than the text itself. Padding never exceeds a column's width.
        let footer = result.rows.count == 1 ? "(1 row)\n" : "(\(result.rows.count) rows)\n"
        let lineBytes = widths.reduce(0, +) + 3 * columnCount + 1
        let textBytes = cells.reduce(0) { $0 + $1.utf8.count }
        let capacity = textBytes + (result.rows.count + 2) * lineBytes + footer.utf8.count
        let (cellTexts, textWidths, columnWidths) = (cells, cellWidths, widths)
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = ByteWriter(buffer)
            if columnCount > 0 {
                for line in 0...result.rows.count {
                    for column in 0..<columnCount {
                        let cell = line * columnCount + column
                        if column > 0 { out.put(UInt8(ascii: "|")) }
                        out.put(UInt8(ascii: " "))
                        out.put(cellTexts[cell])
                        out.put(UInt8(ascii: " "), count: columnWidths[column] - textWidths[cell] + 1)
                    }
                    out.endLine()
                    if line == 0 {
                        for (column, width) in columnWidths.enumerated() {
                            if column > 0 { out.put(UInt8(ascii: "+")) }
                            out.put(UInt8(ascii: "-"), count: width + 2)
                        }
                        out.put(UInt8(ascii: "\n"))
                    }
                }
            }
            out.put(footer)
            return out.position
        }
    }
}

/// Writes bytes into uninitialized storage that the caller sized for everything written.
private struct ByteWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var position = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    mutating func put(_ byte: UInt8, count: Int = 1) {
        guard count > 0 else { return }
        precondition(position + count <= buffer.count, "table output outgrew its computed size")
        (buffer.baseAddress! + position).initialize(repeating: byte, count: count)
        position += count
    }

    mutating func put(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            precondition(position + utf8.count <= buffer.count, "table output outgrew its computed size")
            (buffer.baseAddress! + position).initialize(from: utf8.baseAddress!, count: utf8.count)
            position += utf8.count
        }
    }

    /// Ends a line without its trailing spaces.
    mutating func endLine() {
        while position > 0, buffer[position - 1] == UInt8(ascii: " ") { position -= 1 }
        put(UInt8(ascii: "\n"))
    }
}
