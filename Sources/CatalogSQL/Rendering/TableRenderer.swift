/// Renders outcomes as psql-like aligned text for people.
///
/// ```
///  name  | category | enabled
/// -------+----------+---------
///  sales | API      | ENABLED
/// (1 row)
/// ```
/// Each cell is padded to its column's display width with one space either side; trailing spaces are not
/// printed. A value with line breaks shows as several lines, as in psql: its row grows as tall as the value,
/// the other cells of the row stay blank below their first line, and each line that continues ends in `+`
/// at the column's right edge (the column is one wider than the value's widest line, so the `+` never touches
/// the text), so a continued value never reads as a new row:
/// ```
///  info_name    | info_value
/// --------------+---------------------
///  trust_policy | {                  +
///               |   "Version": "1",  +
///               |   …                +
///               | }
/// ```
/// Other control characters show as Unicode control pictures. NULL shows as nothing. `OK` and results go to
/// output; `NOTICE:` and `ERROR` lines to diagnostics.
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
        // Every cell, header first, made safe and measured once, in flat arrays: a DESC or SHOW row is a handful
        // of short cells, and per-row arrays would cost more than the text itself. A cell with line breaks keeps
        // its first line in `cells` and all its lines in `lineSets`; its row is as tall as its tallest cell.
        var cells: [String] = []
        var cellWidths: [Int] = []
        var lineSets: [Int: [(text: String, width: Int)]] = [:]
        var heights = [Int](repeating: 1, count: result.rows.count + 1)
        cells.reserveCapacity((result.rows.count + 1) * columnCount)
        cellWidths.reserveCapacity((result.rows.count + 1) * columnCount)
        var widths = [Int](repeating: 0, count: columnCount)
        var extraBytes = 0
        func add(_ text: String, column: Int, line: Int) {
            // Printable ASCII, nearly every cell, shows as it is, one column a byte.
            if VisibleText.isPrintableASCII(text) {
                cells.append(text)
                cellWidths.append(text.utf8.count)
                widths[column] = max(widths[column], text.utf8.count)
            } else if VisibleText.hasLineBreak(text) {
                let lines = VisibleText.lines(text).map { (text: $0, width: VisibleText.displayWidth($0)) }
                lineSets[cells.count] = lines
                heights[line] = max(heights[line], lines.count)
                cells.append(lines[0].text)
                cellWidths.append(lines[0].width)
                // One column more than the widest line, so the `+` of a continued line never touches its text.
                for shown in lines {
                    widths[column] = max(widths[column], shown.width + 1)
                }
                extraBytes += lines.dropFirst().reduce(0) { $0 + $1.text.utf8.count }
            } else {
                let shown = VisibleText.singleLine(text)
                let width = VisibleText.displayWidth(shown)
                cells.append(shown)
                cellWidths.append(width)
                widths[column] = max(widths[column], width)
            }
        }
        for (column, name) in result.columns.enumerated() { add(name, column: column, line: 0) }
        for (index, row) in result.rows.enumerated() {
            for (column, cell) in row.enumerated() { add(cell ?? "", column: column, line: index + 1) }
        }

        // Written straight into the string's storage, sized from the cells' bytes: appending piece by piece to
        // a String or an array costs more than the text itself. Padding never exceeds a column's width.
        let footer = result.rows.count == 1 ? "(1 row)\n" : "(\(result.rows.count) rows)\n"
        let lineBytes = widths.reduce(0, +) + 3 * columnCount + 1
        let textBytes = cells.reduce(0) { $0 + $1.utf8.count } + extraBytes
        let capacity = textBytes + (heights.reduce(0, +) + 1) * lineBytes + footer.utf8.count
        let (cellTexts, textWidths, columnWidths) = (cells, cellWidths, widths)
        let (cellLines, lineCounts, hasLineSets) = (lineSets, heights, !lineSets.isEmpty)
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = ByteWriter(buffer)
            if columnCount > 0 {
                for line in 0...result.rows.count {
                    for part in 0..<lineCounts[line] {
                        for column in 0..<columnCount {
                            let cell = line * columnCount + column
                            var text = cellTexts[cell]
                            var width = textWidths[cell]
                            var continues = false
                            if hasLineSets, let lines = cellLines[cell] {
                                (text, width) = part < lines.count ? lines[part] : ("", 0)
                                continues = part < lines.count - 1
                            } else if part > 0 {
                                (text, width) = ("", 0)
                            }
                            if column > 0 { out.put(UInt8(ascii: "|")) }
                            out.put(UInt8(ascii: " "))
                            out.put(text)
                            out.put(UInt8(ascii: " "), count: columnWidths[column] - width)
                            out.put(UInt8(ascii: continues ? "+" : " "))
                        }
                        out.endLine()
                    }
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
