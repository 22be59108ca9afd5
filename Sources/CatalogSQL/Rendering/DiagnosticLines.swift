/// The `NOTICE:` and `ERROR` lines that the table and CSV formats write to standard error.
enum DiagnosticLines {
    /// One `NOTICE: …` line per notice, each ending in a newline; a notice that is a warning (it starts with
    /// `WARNING: `, such as COMMIT without BEGIN) is a `WARNING: …` line instead.
    static func notices(_ notices: [String]) -> String {
        var text = ""
        for notice in notices {
            let prefix = notice.hasPrefix("WARNING: ") ? "" : "NOTICE: "
            text += prefix + VisibleText.singleLine(notice) + "\n"
        }
        return text
    }

    /// `ERROR [code] at line L, column C: message`, leaving out the parts of the position that are absent.
    static func error(_ error: RenderedError) -> String {
        var text = "ERROR [" + error.code + "]"
        switch (error.line, error.column) {
        case (let line?, let column?): text += " at line \(line), column \(column)"
        case (let line?, nil): text += " at line \(line)"
        case (nil, let column?): text += " at column \(column)"
        case (nil, nil): break
        }
        return text + ": " + VisibleText.singleLine(error.message) + "\n"
    }
}
