/// Renders outcomes in psql's expanded form (`\x`): each row as a record, one `column | value` line per column.
///
/// ```
/// -[ RECORD 1 ]+-------------
/// info_name    | trust_policy
/// info_value   | {          +
///              |   …
///              | }
/// ```
/// Column names are padded to the widest; a value with line breaks shows as several lines, each line that
/// continues ending in `+` one column after the widest line, so a continued value never reads as the
/// next column. Other control characters show as Unicode control pictures, NULL as nothing, trailing spaces are
/// not printed, and a result without rows prints `(0 rows)`. Notices and errors go to diagnostics and `OK` to
/// output, as in the table form.
enum ExpandedRenderer {
    static func render(_ outcome: StatementOutcome) -> RenderedOutput {
        switch outcome {
        case .resultSet(let result):
            RenderedOutput(output: records(result), diagnostics: DiagnosticLines.notices(result.notices))
        case .ok, .failure:
            TableRenderer.render(outcome)
        }
    }

    private static func records(_ result: ResultSet) -> String {
        guard !result.rows.isEmpty else { return "(0 rows)\n" }
        let names = result.columns.map { VisibleText.singleLine($0) }
        let nameWidth = names.map(VisibleText.displayWidth).max() ?? 0
        let values = result.rows.map { row in
            row.map { cell in VisibleText.lines(cell ?? "").map { (text: $0, width: VisibleText.displayWidth($0)) } }
        }
        let valueWidth = values.joined().joined().map(\.width).max() ?? 0
        var text = ""
        for (index, row) in values.enumerated() {
            var header = "-[ RECORD \(index + 1) ]"
            let bar = nameWidth + 1  // where `|` stands in the lines below
            let total = nameWidth + 3 + valueWidth
            if header.count <= bar {
                header += String(repeating: "-", count: bar - header.count) + "+"
            }
            header += String(repeating: "-", count: max(0, total - header.count))
            text += header + "\n"
            for (column, lines) in row.enumerated() {
                for (part, line) in lines.enumerated() {
                    let name = part == 0 ? names[column] : ""
                    var shown = name + String(repeating: " ", count: nameWidth - VisibleText.displayWidth(name))
                    shown += " | " + line.text
                    if part < lines.count - 1 {
                        shown += String(repeating: " ", count: valueWidth - line.width) + " +"
                    }
                    while shown.hasSuffix(" ") { shown.removeLast() }
                    text += shown + "\n"
                }
            }
        }
        return text
    }
}
