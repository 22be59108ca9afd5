/// Renders results as RFC 4180 CSV on output, keeping notices and errors out of it.
///
/// A result is a header line then one line per row, each ending in CR LF. A field is quoted when it contains a
/// comma, a double quote, CR or LF, with quotes doubled. As in PostgreSQL's CSV, NULL is an empty unquoted
/// field and an empty string is `""`, so a reader can tell them apart. A statement without a result set
/// writes nothing to output; notices (`NOTICE: …`) and errors (`ERROR …`) go to diagnostics, so output is
/// always machine-readable.
enum CSVRenderer {
    static func render(_ outcome: StatementOutcome) -> RenderedOutput {
        switch outcome {
        case .resultSet(let result):
            var text = ""
            if !result.columns.isEmpty {
                text += record(result.columns)
                for row in result.rows {
                    text += record(row)
                }
            }
            return RenderedOutput(output: text, diagnostics: DiagnosticLines.notices(result.notices))
        case .ok(let notices):
            return RenderedOutput(diagnostics: DiagnosticLines.notices(notices))
        case .failure(let error):
            return RenderedOutput(diagnostics: DiagnosticLines.error(error))
        }
    }

    private static func record(_ fields: [String?]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    private static func field(_ value: String?) -> String {
        guard let value else { return "" }
        if value.isEmpty { return "\"\"" }
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }
}
