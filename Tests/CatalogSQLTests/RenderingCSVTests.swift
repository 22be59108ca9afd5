import CatalogSQL
import Testing

@Suite struct RenderingCSVTests {
    private func render(_ outcome: StatementOutcome) -> RenderedOutput {
        OutputFormat.csv.render(outcome)
    }

    @Test func describeResult() {
        let expected = RenderingFixtures.crlf(
            "info_name,info_value",
            "name,sales_fn",
            "category,API",
            "type,CLOUD_FUNCTION",
            "enabled,ENABLED",
            "created_time,2025-05-11T09:36:51.548Z",
            "version,3",
            #"comment,"Sales, EU ""prod""""#,
            "CLOUD_FUNCTION.PROVIDER,aliyun",
            "CLOUD_FUNCTION.ROLE_ARN,acs:ram::1234567890:role/lakehouse",
            "EXTERNAL_ID,a1b2c3"
        )
        #expect(render(.resultSet(RenderingFixtures.describe)) == RenderedOutput(output: expected))
    }

    @Test func showResult() {
        let expected = RenderingFixtures.crlf(
            "name,category,type,enabled,created_time",
            "oss_raw,STORAGE,OSS,ENABLED,2025-05-11T09:36:51.548Z",
            "sales_fn,API,CLOUD_FUNCTION,DISABLED,2025-05-12T00:00:00.007Z"
        )
        #expect(render(.resultSet(RenderingFixtures.show)) == RenderedOutput(output: expected))
    }

    @Test func emptyShowResultIsHeaderOnly() {
        let expected = RenderingFixtures.crlf("name,category,type,enabled,created_time")
        #expect(render(.resultSet(RenderingFixtures.emptyShow)) == RenderedOutput(output: expected))
    }

    @Test func nullIsAnEmptyFieldAndEmptyStringIsQuoted() {
        let result = ResultSet(columns: ["a", "b", "c"], rows: [[nil, "", "x"]])
        #expect(render(.resultSet(result)).output == RenderingFixtures.crlf("a,b,c", #","",x"#))
    }

    @Test func resultNoticesGoToDiagnostics() {
        let result = ResultSet(columns: ["a"], rows: [["1"]], notices: ["n1"])
        #expect(
            render(.resultSet(result))
                == RenderedOutput(output: RenderingFixtures.crlf("a", "1"), diagnostics: "NOTICE: n1\n")
        )
    }

    @Test func okWithoutNoticesWritesNothing() {
        #expect(render(.ok(notices: [])) == RenderedOutput())
    }

    @Test func okWithNoticesWritesOnlyDiagnostics() {
        #expect(
            render(.ok(notices: [RenderingFixtures.notice]))
                == RenderedOutput(diagnostics: "NOTICE: connection 'sales_fn' already exists; nothing changed\n")
        )
    }

    @Test func errorWithPositionGoesToDiagnostics() {
        #expect(
            render(.failure(RenderingFixtures.syntaxError))
                == RenderedOutput(
                    diagnostics: "ERROR [syntax_error] at line 2, column 6: expected CONNECTION after DESC\n"
                )
        )
    }

    @Test func errorWithoutPositionGoesToDiagnostics() {
        #expect(
            OutputFormat.csv.renderError(RenderingFixtures.notFound)
                == RenderedOutput(diagnostics: "ERROR [not_found]: connection 'nope' does not exist\n")
        )
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", #""a,b""#),
        (#"say "hi""#, #""say ""hi""""#),
        ("a\nb", "\"a\nb\""),
        ("a\rb", "\"a\rb\""),
        ("a\r\nb", "\"a\r\nb\""),
        ("tab\there", "tab\there"),
        (" spaced ", " spaced "),
        ("数据湖 🚀", "数据湖 🚀"),
    ])
    func fieldQuoting(value: String, expected: String) {
        let result = ResultSet(columns: ["v"], rows: [[value]])
        #expect(render(.resultSet(result)).output == "v\r\n" + expected + "\r\n")
    }

    @Test func trickyFieldsRoundTripThroughAnRFC4180Parser() throws {
        let values = [
            "", "plain", "a,b", "\"", "\"\"", "say \"hi\", then\r\nleave", "\n", "\r", "\r\n", ",", "x\ny\rz",
            "🚀,👩‍👩‍👧‍👦", "trailing\"",
        ]
        let rows = values.map { [$0, "end"] }
        let output = render(.resultSet(ResultSet(columns: ["value", "after, header"], rows: rows))).output
        let parsed = try CSVTestParser.parse(output)
        #expect(parsed == [["value", "after, header"]] + rows)
    }

    @Test func parserRejectsMalformedInput() {
        #expect(throws: CSVTestParser.Malformed.self) { try CSVTestParser.parse("\"open\r\n") }
        #expect(throws: CSVTestParser.Malformed.self) { try CSVTestParser.parse("\"a\"b\r\n") }
    }
}

/// A strict RFC 4180 reader for the tests: CR LF records, quoted fields with doubled quotes.
enum CSVTestParser {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        var atFieldStart = true

        func endField() {
            record.append(String(field))
            field = String.UnicodeScalarView()
            atFieldStart = true
        }

        while let scalar = scalars.popFirst() {
            if atFieldStart && scalar == "\"" {
                atFieldStart = false
                while true {
                    guard let inner = scalars.popFirst() else { throw Malformed() }
                    if inner == "\"" {
                        if scalars.first == "\"" {
                            scalars.removeFirst()
                            field.append("\"")
                        } else {
                            break
                        }
                    } else {
                        field.append(inner)
                    }
                }
                guard let next = scalars.first, next == "," || next == "\r" else { throw Malformed() }
                continue
            }
            atFieldStart = false
            switch scalar {
            case ",":
                endField()
            case "\r":
                guard scalars.popFirst() == "\n" else { throw Malformed() }
                endField()
                records.append(record)
                record = []
            case "\"", "\n":
                throw Malformed()
            default:
                field.append(scalar)
            }
        }
        guard record.isEmpty, atFieldStart else { throw Malformed() }
        return records
    }
}
