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
        var widths = header.map(VisibleText.displayWidth)
        for row in body {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], VisibleText.displayWidth(cell))
            }
        }

        var text = ""
        if !header.isEmpty {
            text += line(header, widths: widths)
            text += widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n"
            for row in body {
                text += line(row, widths: widths)
            }
        }
        text += result.rows.count == 1 ? "(1 row)\n" : "(\(result.rows.count) rows)\n"
        return text
    }

    private static func line(_ cells: [String], widths: [Int]) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            text += index == 0 ? " " : " | "
            text += cell
            text += String(repeating: " ", count: widths[index] - VisibleText.displayWidth(cell))
        }
        while text.last == " " {
            text.removeLast()
        }
        return text + "\n"
    }
}
