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
        let header = result.columns.map(VisibleText.singleLine)
        let body = result.rows.map { row in row.map { VisibleText.singleLine($0 ?? "") } }
        // Each cell's width is measured once; rows are appended to one buffer.
        let headerWidths = header.map(VisibleText.displayWidth)
        let bodyWidths = body.map { $0.map(VisibleText.displayWidth) }
        var widths = headerWidths
        for row in bodyWidths {
            for (index, width) in row.enumerated() { widths[index] = max(widths[index], width) }
        }

        // Built as UTF-8 bytes and decoded once: appending to a String character by character costs far more.
        var bytes: [UInt8] = []
        bytes.reserveCapacity((widths.reduce(0, +) + 3 * widths.count + 1) * (body.count + 2) + 16)
        if !header.isEmpty {
            append(header, cellWidths: headerWidths, widths: widths, to: &bytes)
            for (index, width) in widths.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: "+")) }
                bytes.append(contentsOf: repeatElement(UInt8(ascii: "-"), count: width + 2))
            }
            bytes.append(UInt8(ascii: "\n"))
            for (row, cellWidths) in zip(body, bodyWidths) {
                append(row, cellWidths: cellWidths, widths: widths, to: &bytes)
            }
        }
        bytes.append(contentsOf: (result.rows.count == 1 ? "(1 row)\n" : "(\(result.rows.count) rows)\n").utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one row, cells padded to their column's width, without trailing spaces.
    private static func append(_ cells: [String], cellWidths: [Int], widths: [Int], to bytes: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            bytes.append(contentsOf: (index == 0 ? " " : " | ").utf8)
            bytes.append(contentsOf: cell.utf8)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(0, widths[index] - cellWidths[index])))
        }
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        bytes.append(UInt8(ascii: "\n"))
    }
}
