/// Renders each outcome as one JSON object on one line (JSON Lines), all of it on output.
///
/// The shapes are a stable contract (`docs/cli.md`), with keys always in this order:
/// - a result: `{"columns": [...], "rows": [[...], ...]}`, then `"notices": [...]` only when there are notices;
///   a NULL cell is `null`;
/// - no result set: `{"ok": true}`, then `"notices"` only when there are notices;
/// - a failure: `{"error": {"code": "...", "message": "...", "line": L, "column": C}}`, with `null` for an
///   absent line or column (the keys are always present).
/// Errors stay on output, in statement order, so a reader gets exactly one line per statement.
enum JSONLinesRenderer {
    static func render(_ outcome: StatementOutcome) -> RenderedOutput {
        var members: [String] = []
        switch outcome {
        case .resultSet(let result):
            members.append("\"columns\": " + JSONString.array(result.columns))
            members.append("\"rows\": [" + result.rows.map(JSONString.array).joined(separator: ", ") + "]")
            if !result.notices.isEmpty {
                members.append("\"notices\": " + JSONString.array(result.notices))
            }
        case .ok(let notices):
            members.append("\"ok\": true")
            if !notices.isEmpty {
                members.append("\"notices\": " + JSONString.array(notices))
            }
        case .failure(let error):
            let fields = [
                "\"code\": " + JSONString.quoted(error.code),
                "\"message\": " + JSONString.quoted(error.message),
                "\"line\": " + (error.line.map { String($0) } ?? "null"),
                "\"column\": " + (error.column.map { String($0) } ?? "null"),
            ]
            members.append("\"error\": {" + fields.joined(separator: ", ") + "}")
        }
        return RenderedOutput(output: "{" + members.joined(separator: ", ") + "}\n")
    }
}
