/// Renders a result set the way psql's `\x` does: one block per row, one `column | value` line per cell.
///
/// ```
/// -[ RECORD 1 ]+---------
/// name         | sales_fn
/// category     | API
/// ```
/// Used by the shell's expanded mode for the table format; JSON and CSV are never expanded (their shapes are
/// contracts). Values are made single-line as in the table form.
enum ExpandedRenderer {
    static func table(_ result: ResultSet) -> String {
        guard !result.rows.isEmpty else { return "(0 rows)\n" }
        let names = result.columns.map(VisibleText.singleLine)
        let nameWidth = names.map(VisibleText.displayWidth).max() ?? 0
        var text = ""
        for (index, row) in result.rows.enumerated() {
            let header = "-[ RECORD \(index + 1) ]"
            let values = row.map { VisibleText.singleLine($0 ?? "") }
            let valueWidth = values.map(VisibleText.displayWidth).max() ?? 0
            let left = max(nameWidth + 1 - header.count, 0)
            text += header + String(repeating: "-", count: left) + "+" + String(repeating: "-", count: valueWidth + 1) + "\n"
            for (name, value) in zip(names, values) {
                let padding = String(repeating: " ", count: nameWidth - VisibleText.displayWidth(name))
                let line = name + padding + " | " + value
                text += (value.isEmpty ? String(line.dropLast()) : line) + "\n"
            }
        }
        return text
    }
}

extension OutputFormat {
    /// Renders one statement's outcome; with `expanded`, the table format shows each row as a block of
    /// `column | value` lines (psql's `\x`). JSON and CSV ignore `expanded`.
    public func render(_ outcome: StatementOutcome, expanded: Bool) -> RenderedOutput {
        guard expanded, self == .table, case .resultSet(let result) = outcome else { return render(outcome) }
        return RenderedOutput(output: ExpandedRenderer.table(result), diagnostics: DiagnosticLines.notices(result.notices))
    }
}
