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
        var layout = TableLayout(result)
        return layout.text()
    }
}

/// A result measured for the table form: every cell, header first, made safe and measured once, in flat arrays
/// (a DESC or SHOW row is a handful of short cells). A cell of printable ASCII (nearly all) is shown as it lies
/// in the result's bytes; any other is made safe into `shown`. A cell with line breaks keeps its first line as
/// its cell and all its lines in `lineSets`; its row is as tall as its tallest cell.
private struct TableLayout {
    let result: ResultSet
    let columnCount: Int
    let rowCount: Int
    var cells: [ShownCell] = []
    var shown: [UInt8] = []
    var lineSets: [Int: [(text: String, width: Int)]] = [:]
    var heights: [Int]
    var widths: [Int]
    var textBytes = 0

    init(_ result: ResultSet) {
        self.result = result
        columnCount = result.columns.count
        rowCount = result.rowCount
        heights = [Int](repeating: 1, count: rowCount + 1)
        widths = [Int](repeating: 0, count: columnCount)
        cells.reserveCapacity((rowCount + 1) * columnCount)
        for (column, name) in result.columns.enumerated() { add(name, column: column, line: 0) }
        guard columnCount > 0 else { return }
        result.text.withUnsafeBufferPointer { text in
            var column = 0
            var line = 1
            for span in result.spans {
                let start = Int(span.start)
                let count = span.isNull ? 0 : Int(span.count)
                let bytes = UnsafeBufferPointer(rebasing: text[start..<start + count])
                // Printable ASCII, nearly every cell, shows as it is, one column a byte.
                if VisibleText.isPrintableASCII(bytes) {
                    cells.append(ShownCell(inResult: true, start: start, count: count, width: count))
                    widths[column] = max(widths[column], count)
                    textBytes += count
                } else {
                    add(String(decoding: bytes, as: UTF8.self), column: column, line: line)
                }
                column += 1
                if column == columnCount { (column, line) = (0, line + 1) }
            }
        }
    }

    private mutating func addShown(_ text: String, width: Int, column: Int) {
        var text = text
        let start = shown.count
        text.withUTF8 { shown.append(contentsOf: $0) }
        cells.append(ShownCell(inResult: false, start: start, count: shown.count - start, width: width))
        widths[column] = max(widths[column], width)
        textBytes += shown.count - start
    }

    private mutating func add(_ text: String, column: Int, line: Int) {
        if VisibleText.hasLineBreak(text) {
            let lines = VisibleText.lines(text).map { (text: $0, width: VisibleText.displayWidth($0)) }
            lineSets[cells.count] = lines
            heights[line] = max(heights[line], lines.count)
            addShown(lines[0].text, width: lines[0].width, column: column)
            // One column more than the widest line, so the `+` of a continued line never touches its text.
            for shown in lines {
                widths[column] = max(widths[column], shown.width + 1)
            }
            textBytes += lines.dropFirst().reduce(0) { $0 + $1.text.utf8.count }
        } else {
            let visible = VisibleText.singleLine(text)
            addShown(visible, width: VisibleText.displayWidth(visible), column: column)
        }
    }

    /// The table, written straight into the string's storage, sized from the cells' bytes: appending piece by
    /// piece to a String or an array costs more than the text itself. Padding never exceeds a column's width.
    mutating func text() -> String {
        var footer = rowCount == 1 ? "(1 row)\n" : "(\(rowCount) rows)\n"
        let lineBytes = widths.reduce(0, +) + 3 * columnCount + 1
        let capacity = textBytes + (heights.reduce(0, +) + 1) * lineBytes + footer.utf8.count
        return result.text.withUnsafeBufferPointer { resultText in
            shown.withUnsafeBufferPointer { shownText in
                String(unsafeUninitializedCapacity: capacity) { buffer in
                    var out = ByteWriter(buffer)
                    if columnCount > 0 {
                        write(to: &out, resultText: resultText, shownText: shownText)
                    }
                    footer.withUTF8 { out.put($0) }
                    return out.position
                }
            }
        }
    }

    private func write(
        to out: inout ByteWriter, resultText: UnsafeBufferPointer<UInt8>, shownText: UnsafeBufferPointer<UInt8>
    ) {
        let hasLineSets = !lineSets.isEmpty
        for line in 0...rowCount {
            for part in 0..<heights[line] {
                for column in 0..<columnCount {
                    let index = line * columnCount + column
                    let cell = cells[index]
                    var width = cell.width
                    var continues = false
                    if column > 0 { out.put(UInt8(ascii: "|")) }
                    out.put(UInt8(ascii: " "))
                    if hasLineSets, let lines = lineSets[index] {
                        width = part < lines.count ? lines[part].width : 0
                        continues = part < lines.count - 1
                        if part < lines.count { out.put(lines[part].text) }
                    } else if part > 0 {
                        width = 0
                    } else {
                        let source = cell.inResult ? resultText : shownText
                        out.put(UnsafeBufferPointer(rebasing: source[cell.start..<cell.start + cell.count]))
                    }
                    out.put(UInt8(ascii: " "), count: widths[column] - width)
                    out.put(UInt8(ascii: continues ? "+" : " "))
                }
                out.endLine()
            }
            if line == 0 {
                for (column, width) in widths.enumerated() {
                    if column > 0 { out.put(UInt8(ascii: "+")) }
                    out.put(UInt8(ascii: "-"), count: width + 2)
                }
                out.put(UInt8(ascii: "\n"))
            }
        }
    }
}

/// Where a table cell's text is (in the result's bytes or in the renderer's own) and how wide it shows.
private struct ShownCell {
    var inResult: Bool
    var start: Int
    var count: Int
    var width: Int
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
        text.withUTF8 { put($0) }
    }

    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(position + bytes.count <= buffer.count, "table output outgrew its computed size")
        (buffer.baseAddress! + position).initialize(from: base, count: bytes.count)
        position += bytes.count
    }

    /// Ends a line without its trailing spaces.
    mutating func endLine() {
        while position > 0, buffer[position - 1] == UInt8(ascii: " ") { position -= 1 }
        put(UInt8(ascii: "\n"))
    }
}
