import CatalogSQL
import Testing

@Suite struct RenderingTableTests {
    private func render(_ outcome: StatementOutcome) -> RenderedOutput {
        OutputFormat.table.render(outcome)
    }

    @Test func describeResult() {
        let expected = """
             info_name               | info_value
            -------------------------+------------------------------------
             name                    | sales_fn
             category                | API
             type                    | CLOUD_FUNCTION
             enabled                 | ENABLED
             created_time            | 2025-05-11T09:36:51.548Z
             version                 | 3
             comment                 | Sales, EU "prod"
             CLOUD_FUNCTION.PROVIDER | aliyun
             CLOUD_FUNCTION.ROLE_ARN | acs:ram::1234567890:role/lakehouse
             EXTERNAL_ID             | a1b2c3
            (10 rows)

            """
        #expect(render(.resultSet(RenderingFixtures.describe)) == RenderedOutput(output: expected))
    }

    @Test func showResult() {
        let expected = """
             name     | category | type           | enabled  | created_time
            ----------+----------+----------------+----------+--------------------------
             oss_raw  | STORAGE  | OSS            | ENABLED  | 2025-05-11T09:36:51.548Z
             sales_fn | API      | CLOUD_FUNCTION | DISABLED | 2025-05-12T00:00:00.007Z
            (2 rows)

            """
        #expect(render(.resultSet(RenderingFixtures.show)) == RenderedOutput(output: expected))
    }

    @Test func emptyShowResult() {
        let expected = """
             name | category | type | enabled | created_time
            ------+----------+------+---------+--------------
            (0 rows)

            """
        #expect(render(.resultSet(RenderingFixtures.emptyShow)) == RenderedOutput(output: expected))
    }

    @Test func oneRowIsSingular() {
        let result = ResultSet(columns: ["name"], rows: [["x"]])
        #expect(render(.resultSet(result)).output == " name\n------\n x\n(1 row)\n")
    }

    @Test func resultNoticesGoToDiagnostics() {
        let result = ResultSet(columns: ["name"], rows: [["x"]], notices: ["first", "second"])
        #expect(
            render(.resultSet(result))
                == RenderedOutput(
                    output: " name\n------\n x\n(1 row)\n", diagnostics: "NOTICE: first\nNOTICE: second\n")
        )
    }

    @Test func okWithoutNotices() {
        #expect(render(.ok(notices: [])) == RenderedOutput(output: "OK\n"))
    }

    @Test func okWithNotices() {
        #expect(
            render(.ok(notices: [RenderingFixtures.notice]))
                == RenderedOutput(
                    output: "OK\n",
                    diagnostics: "NOTICE: connection 'sales_fn' already exists; nothing changed\n"
                )
        )
    }

    @Test func errorWithPosition() {
        #expect(
            render(.failure(RenderingFixtures.syntaxError))
                == RenderedOutput(
                    diagnostics: "ERROR [syntax_error] at line 2, column 6: expected CONNECTION after DESC\n"
                )
        )
    }

    @Test func errorWithoutPosition() {
        #expect(
            OutputFormat.table.renderError(RenderingFixtures.notFound)
                == RenderedOutput(diagnostics: "ERROR [not_found]: connection 'nope' does not exist\n")
        )
    }

    @Test func errorWithLineOnly() {
        let error = RenderedError(code: "syntax_error", message: "unterminated string", line: 4)
        #expect(render(.failure(error)).diagnostics == "ERROR [syntax_error] at line 4: unterminated string\n")
    }

    @Test func multiLineErrorMessageStaysOnOneLine() {
        let error = RenderedError(code: "invalid_value", message: "bad value\nuse another")
        #expect(render(.failure(error)).diagnostics == "ERROR [invalid_value]: bad value↵use another\n")
    }

    @Test func lineBreaksShowAsSeveralLinesAndControlCharactersAsPictures() {
        // A value with line breaks (LF, CR LF, CR) takes one line each, continued lines ending in `+`; the
        // other cells of its row stay blank below it. Other control characters still show as pictures.
        let result = ResultSet(
            columns: ["info_name", "info_value"],
            rows: [["comment", "one\ntwo\r\nthree\rfour"], ["tabbed", "a\tb\u{0}c\u{7F}"]]
        )
        let expected = """
             info_name | info_value
            -----------+------------
             comment   | one       +
                       | two       +
                       | three     +
                       | four
             tabbed    | a␉b␀c␡
            (2 rows)

            """
        #expect(render(.resultSet(result)).output == expected)
    }

    @Test func multiLineCellsInSeveralColumnsShareTheirRowsLines() {
        let result = ResultSet(columns: ["a", "b", "c"], rows: [["x\ny\nz", "1", "p\nq"], ["w", nil, "r"]])
        let expected = """
             a  | b | c
            ----+---+----
             x +| 1 | p +
             y +|   | q
             z  |   |
             w  |   | r
            (2 rows)

            """
        #expect(render(.resultSet(result)).output == expected)
    }

    @Test func expandedFormShowsOneRecordPerRowAndMultiLineValues() {
        let result = ResultSet(
            columns: ["info_name", "info_value"], rows: [["name", "fn"], ["trust_policy", "{\n  \"a\": 1\n}"]])
        let expected = """
            -[ RECORD 1 ]------------
            info_name  | name
            info_value | fn
            -[ RECORD 2 ]------------
            info_name  | trust_policy
            info_value | {            +
                       |   "a": 1     +
                       | }

            """
        #expect(OutputFormat.table.render(.resultSet(result), expanded: true) == RenderedOutput(output: expected))
        #expect(
            OutputFormat.json.render(.resultSet(result), expanded: true) == OutputFormat.json.render(.resultSet(result))
        )
        let empty = ResultSet(columns: ["name"], rows: [[String?]](), notices: ["n"])
        #expect(
            OutputFormat.table.render(.resultSet(empty), expanded: true)
                == RenderedOutput(output: "(0 rows)\n", diagnostics: "NOTICE: n\n"))
    }

    @Test func nullShowsAsNothingAndTrailingSpacesAreNotPrinted() {
        let result = ResultSet(columns: ["name", "comment"], rows: [["a", nil], [nil, "hello"]])
        let expected = """
             name | comment
            ------+---------
             a    |
                  | hello
            (2 rows)

            """
        #expect(render(.resultSet(result)).output == expected)
    }

    @Test func wideCharactersTakeTwoColumns() {
        let result = ResultSet(columns: ["name", "n"], rows: [["数据湖仓", "1"], ["🚀🚀", "2"], ["café", "3"]])
        let expected = """
             name     | n
            ----------+---
             数据湖仓 | 1
             🚀🚀     | 2
             café     | 3
            (3 rows)

            """
        #expect(render(.resultSet(result)).output == expected)
    }

    @Test func everyLineOfATableHasTheSameWidthWhenPadded() {
        let output = render(.resultSet(RenderingFixtures.show)).output
        let lines = output.split(separator: "\n").dropLast()
        let separator = lines[lines.startIndex + 1]
        for line in lines {
            #expect(line.count <= separator.count)
            #expect(!line.hasSuffix(" "))
        }
    }
}
