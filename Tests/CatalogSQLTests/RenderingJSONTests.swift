import CatalogSQL
import Foundation
import Testing

@Suite struct RenderingJSONTests {
    private func render(_ outcome: StatementOutcome) -> RenderedOutput {
        OutputFormat.json.render(outcome)
    }

    @Test func describeResult() {
        let expected =
            #"{"columns": ["info_name", "info_value"], "rows": [["name", "sales_fn"], ["category", "API"], "#
            + #"["type", "CLOUD_FUNCTION"], ["enabled", "ENABLED"], ["created_time", "2025-05-11T09:36:51.548Z"], "#
            + #"["version", "3"], ["comment", "Sales, EU \"prod\""], ["CLOUD_FUNCTION.PROVIDER", "aliyun"], "#
            + #"["CLOUD_FUNCTION.ROLE_ARN", "acs:ram::1234567890:role/lakehouse"], ["EXTERNAL_ID", "a1b2c3"]]}"#
            + "\n"
        #expect(render(.resultSet(RenderingFixtures.describe)) == RenderedOutput(output: expected))
    }

    @Test func showResult() {
        let expected =
            #"{"columns": ["name", "category", "type", "enabled", "created_time"], "rows": ["#
            + #"["oss_raw", "STORAGE", "OSS", "ENABLED", "2025-05-11T09:36:51.548Z"], "#
            + #"["sales_fn", "API", "CLOUD_FUNCTION", "DISABLED", "2025-05-12T00:00:00.007Z"]]}"#
            + "\n"
        #expect(render(.resultSet(RenderingFixtures.show)) == RenderedOutput(output: expected))
    }

    @Test func emptyShowResult() {
        let expected = #"{"columns": ["name", "category", "type", "enabled", "created_time"], "rows": []}"# + "\n"
        #expect(render(.resultSet(RenderingFixtures.emptyShow)) == RenderedOutput(output: expected))
    }

    @Test func resultWithNoticesAndNull() {
        let result = ResultSet(columns: ["name", "comment"], rows: [["a", nil]], notices: ["n1"])
        let expected = #"{"columns": ["name", "comment"], "rows": [["a", null]], "notices": ["n1"]}"# + "\n"
        #expect(render(.resultSet(result)) == RenderedOutput(output: expected))
    }

    @Test func okWithoutNotices() {
        #expect(render(.ok(notices: [])) == RenderedOutput(output: #"{"ok": true}"# + "\n"))
    }

    @Test func okWithNotices() {
        let expected = #"{"ok": true, "notices": ["connection 'sales_fn' already exists; nothing changed"]}"# + "\n"
        #expect(render(.ok(notices: [RenderingFixtures.notice])) == RenderedOutput(output: expected))
    }

    @Test func errorWithPosition() {
        let expected =
            #"{"error": {"code": "syntax_error", "message": "expected CONNECTION after DESC", "line": 2, "column": 6}}"#
            + "\n"
        #expect(render(.failure(RenderingFixtures.syntaxError)) == RenderedOutput(output: expected))
    }

    @Test func errorWithoutPosition() {
        let expected =
            #"{"error": {"code": "not_found", "message": "connection 'nope' does not exist", "#
            + #""line": null, "column": null}}"# + "\n"
        #expect(OutputFormat.json.renderError(RenderingFixtures.notFound) == RenderedOutput(output: expected))
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\path\"#, #""C:\\path\\""#),
        ("a\nb", #""a\nb""#),
        ("a\r\nb", #""a\r\nb""#),
        ("a\tb", #""a\tb""#),
        ("\u{08}\u{0C}", #""\b\f""#),
        ("\u{01}", #""\u0001""#),
        ("\u{1F}", #""\u001f""#),
        ("\u{0}", #""\u0000""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("\u{2028}\u{2029}", #""\u2028\u2029""#),
        ("🚀 数据湖 café", #""🚀 数据湖 café""#),
        ("</script>", #""</script>""#),
        ("", #""""#),
    ])
    func stringEscaping(value: String, expected: String) {
        let output = render(.ok(notices: [value])).output
        #expect(output == #"{"ok": true, "notices": ["# + expected + "]}\n")
    }

    static let trickyValues: [String] = [
        "", "\"", "\\", "\\\"", "a\nb\r\nc\rd", "\t\u{0}\u{1}\u{1F}\u{7F}", "🚀👩‍👩‍👧‍👦", "数据湖", "</script>",
        "\u{2028}x\u{2029}", "{\"json\": [1, 2]}", "comma, \"quote\"",
    ]

    @Test(arguments: trickyValues)
    func resultRoundTripsThroughJSONSerialization(value: String) throws {
        let result = ResultSet(
            columns: ["info_name", value], rows: [[value, "x"], ["null", nil]], notices: [value]
        )
        let output = render(.resultSet(result)).output
        #expect(output.filter { $0 == "\n" || $0 == "\r\n" }.count == 1)
        #expect(output.hasSuffix("}\n"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        )
        #expect(object["columns"] as? [String] == ["info_name", value])
        let rows = try #require(object["rows"] as? [[Any]])
        #expect(rows.count == 2)
        #expect(rows[0] as? [String] == [value, "x"])
        #expect(rows[1][0] as? String == "null")
        #expect(rows[1][1] is NSNull)
        #expect(object["notices"] as? [String] == [value])
    }

    @Test(arguments: trickyValues)
    func errorRoundTripsThroughJSONSerialization(value: String) throws {
        let error = RenderedError(code: "invalid_value", message: value, line: 7, column: 1)
        let output = render(.failure(error)).output
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        )
        let inner = try #require(object["error"] as? [String: Any])
        #expect(inner["code"] as? String == "invalid_value")
        #expect(inner["message"] as? String == value)
        #expect(inner["line"] as? Int == 7)
        #expect(inner["column"] as? Int == 1)
    }

    @Test func absentPositionRoundTripsAsNull() throws {
        let output = render(.failure(RenderingFixtures.notFound)).output
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let inner = try #require(object["error"] as? [String: Any])
        #expect(inner["line"] is NSNull)
        #expect(inner["column"] is NSNull)
    }

    @Test func jsonNeverWritesDiagnostics() {
        let outcomes: [StatementOutcome] = [
            .resultSet(ResultSet(columns: ["a"], rows: [["1"]], notices: ["n"])),
            .ok(notices: ["n"]),
            .failure(RenderingFixtures.syntaxError),
        ]
        for outcome in outcomes {
            #expect(render(outcome).diagnostics.isEmpty)
        }
    }
}
