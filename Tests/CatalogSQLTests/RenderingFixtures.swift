import CatalogSQL

/// Result sets shaped like the executor's DESC and SHOW output, shared by the rendering tests.
enum RenderingFixtures {
    static let describe = ResultSet(
        columns: ["info_name", "info_value"],
        rows: [
            ["name", "sales_fn"],
            ["category", "API"],
            ["type", "CLOUD_FUNCTION"],
            ["enabled", "ENABLED"],
            ["created_time", "2025-05-11T09:36:51.548Z"],
            ["version", "3"],
            ["comment", "Sales, EU \"prod\""],
            ["CLOUD_FUNCTION.PROVIDER", "aliyun"],
            ["CLOUD_FUNCTION.ROLE_ARN", "acs:ram::1234567890:role/lakehouse"],
            ["EXTERNAL_ID", "a1b2c3"],
        ]
    )

    static let show = ResultSet(
        columns: ["name", "category", "type", "enabled", "created_time"],
        rows: [
            ["oss_raw", "STORAGE", "OSS", "ENABLED", "2025-05-11T09:36:51.548Z"],
            ["sales_fn", "API", "CLOUD_FUNCTION", "DISABLED", "2025-05-12T00:00:00.007Z"],
        ]
    )

    static let emptyShow = ResultSet(
        columns: ["name", "category", "type", "enabled", "created_time"],
        rows: [[String]]()
    )

    static let syntaxError = RenderedError(
        code: "syntax_error", message: "expected CONNECTION after DESC", line: 2, column: 6
    )

    static let notFound = RenderedError(code: "not_found", message: "connection 'nope' does not exist")

    static let notice = "connection 'sales_fn' already exists; nothing changed"

    /// Joins lines with CR LF and ends the last one with CR LF too, as CSV output does.
    static func crlf(_ lines: String...) -> String {
        lines.map { $0 + "\r\n" }.joined()
    }
}
