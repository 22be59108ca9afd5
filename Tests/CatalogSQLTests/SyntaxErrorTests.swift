import CatalogSQL
import Testing

/// Malformed statements fail with the exact place and a message naming what was expected and found.
@Suite struct SyntaxErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var sql: String
        var line: Int
        var column: Int
        var message: String
        var isAtEndOfInput = false

        var testDescription: String { sql }
    }

    static let cases: [Case] = [
        Case(
            sql: "CREATE API CONNECTION fc PROVIDER = 'aliyun'", line: 1, column: 26,
            message: "expected TYPE after the connection name, found 'PROVIDER'"),
        Case(
            sql: "ALTER CONNECTION x SET COMMENT = 'abc", line: 1, column: 34,
            message: "unterminated string literal; close it with '", isAtEndOfInput: true),
        Case(
            sql: "ALTER CONNECTION x SET COMMENT = \"abc''", line: 1, column: 34,
            message: "unterminated string literal; close it with \"", isAtEndOfInput: true),
        Case(
            sql: "SHOW CONNECTIONS /* oops", line: 1, column: 18,
            message: "unterminated block comment; close it with '*/'", isAtEndOfInput: true),
        Case(
            sql: "SHOW CONNECTIONS LIKE 'a%' WHERE type = 'OSS'", line: 1, column: 28,
            message: "LIKE and WHERE cannot be combined in SHOW CONNECTIONS"),
        Case(
            sql: "SHOW CONNECTIONS WHERE type = 'OSS' LIKE 'a%'", line: 1, column: 37,
            message: "LIKE and WHERE cannot be combined in SHOW CONNECTIONS"),
        Case(
            sql: "ALTER CONNECTION x SET REGION 'r'", line: 1, column: 31,
            message: "expected '=' after REGION, found a string literal"),
        Case(
            sql: "DROP CONNECTION x y", line: 1, column: 19,
            message: "expected ';' or the end of the input after the connection name, found 'y'"),
        Case(
            sql: "SELECT 1", line: 1, column: 1,
            message:
                "expected a statement (CREATE, DESC, DESCRIBE, SHOW, DROP, ALTER, BEGIN, COMMIT or ROLLBACK), found 'SELECT'"
        ),
        Case(
            sql: "CREATE CONNECTION x", line: 1, column: 8,
            message: "expected API or STORAGE after CREATE, found 'CONNECTION'"),
        Case(sql: "DESC x", line: 1, column: 6, message: "expected CONNECTION after DESC, found 'x'"),
        Case(
            sql: "SHOW CONNECTION x", line: 1, column: 17,
            message: "expected HISTORY after SHOW CONNECTION (or SHOW CONNECTIONS for the list), found 'x'"),
        Case(
            sql: "SHOW TABLES", line: 1, column: 6,
            message: "expected API, STORAGE or CONNECTIONS after SHOW, found 'TABLES'"),
        Case(
            sql: "DESC CONNECTION x AS VERSION 2", line: 1, column: 22, message: "expected OF after AS, found 'VERSION'"
        ),
        Case(
            sql: "DESC CONNECTION x AS OF VERSION two", line: 1, column: 33,
            message: "expected a version number (1, 2, …) after AS OF VERSION, found 'two'"),
        Case(sql: "DROP CONNECTION IF x", line: 1, column: 20, message: "expected EXISTS after IF, found 'x'"),
        Case(
            sql: "ALTER CONNECTION x FOO", line: 1, column: 20,
            message:
                "expected SET, UNSET, RENAME TO, ENABLE, DISABLE or ROTATE EXTERNAL_ID after the connection name, found 'FOO'"
        ),
        Case(sql: "ALTER CONNECTION x RENAME y", line: 1, column: 27, message: "expected TO after RENAME, found 'y'"),
        Case(
            sql: "ALTER CONNECTION x ROTATE KEY", line: 1, column: 27,
            message: "expected EXTERNAL_ID after ROTATE, found 'KEY'"),
        Case(
            sql: "CREATE STORAGE CONNECTION storage TYPE = OSS", line: 1, column: 27,
            message:
                "expected a connection name after CREATE STORAGE CONNECTION, found the keyword 'storage'; "
                + "write `storage` in backticks to use it as a name"),
        Case(
            sql: "CREATE STORAGE CONNECTION 1abc TYPE = OSS", line: 1, column: 27,
            message:
                "expected a connection name after CREATE STORAGE CONNECTION, found a number; "
                + "a name that starts with a digit must be written in backticks"),
        Case(
            sql: "BEGIN;\nCREATE STORAGE CONNECTION x\n  TYPE = OSS ENDPOINT = 'e' ACCESS_KEY = bare", line: 3,
            column: 42,
            message: "expected a string literal as the value of ACCESS_KEY, found an identifier"),
        Case(
            sql: "CREATE API CONNECTION fc TYPE = CLOUD_FUNCTION WITH PROPERTIES ('a' = 'b'", line: 1, column: 74,
            message: "expected ')' or ',' after the last property of WITH PROPERTIES, found the end of the input",
            isAtEndOfInput: true),
        Case(
            sql: "CREATE API CONNECTION fc TYPE = CLOUD_FUNCTION WITH ('a' = 'b')", line: 1, column: 53,
            message: "expected PROPERTIES after WITH, found '('"),
        Case(sql: "SHOW CONNECTIONS @", line: 1, column: 18, message: "unexpected character '@'"),
        Case(sql: "SHOW CONNECTIONS\u{A0}", line: 1, column: 17, message: "unexpected character U+00A0"),
        Case(
            sql: "ALTER CONNECTION x SET COMMENT = 'a', REGION = 'b'", line: 1, column: 37,
            message: "expected ';' or the end of the input after the comment, found ','"),
        Case(
            sql: "SHOW CONNECTIONS LIKE 'é' x", line: 1, column: 27,
            message: "expected ';' or the end of the input after the LIKE pattern, found 'x'"),
        Case(
            sql: "ALTER CONNECTION x SET REGION = 'a', COMMENT = 'b'", line: 1, column: 38,
            message: "SET COMMENT must be an ALTER statement of its own, not part of a property list"),
        Case(
            sql: "SHOW CONNECTIONS WHERE type = 'OSS' AND", line: 1, column: 40,
            message: "expected a column name such as name, type or enabled in WHERE, found the end of the input",
            isAtEndOfInput: true),
        Case(
            sql: "DROP CONNECTION `abc", line: 1, column: 17,
            message: "unterminated quoted identifier; close it with `", isAtEndOfInput: true),
        Case(
            sql: "CREATE STORAGE CONNECTION x TYPE = 'OSS'", line: 1, column: 36,
            message:
                "expected a connection type such as CLOUD_FUNCTION, OSS, COS or S3 after TYPE, found a string literal"),
        Case(
            sql: "CREATE STORAGE CONNECTION x TYPE = OSS ENDPOINT = 'e' COMMENT", line: 1, column: 62,
            message: "expected a string literal after COMMENT, found the end of the input", isAtEndOfInput: true),
        Case(
            sql: "CREATE STORAGE CONNECTION x TYPE = OSS ENDPOINT = 'e' COMMENT 'c' REGION = 'r'", line: 1, column: 67,
            message: "expected ';' or the end of the input after the comment, found 'REGION'"),
        Case(
            sql: "CREATE STORAGE CONNECTION x TYPE = OSS ENDPOINT = 'e' (", line: 1, column: 55,
            message:
                "expected a property assignment KEY = '…', COMMENT, ';' or the end of the input after the properties, found '('"
        ),
        Case(
            sql: "CREATE API CONNECTION IF EXISTS fc TYPE = CLOUD_FUNCTION", line: 1, column: 26,
            message: "expected NOT after IF, found 'EXISTS'"),
        Case(
            sql: "DESCRIBE CONNECTION EXTENDED", line: 1, column: 29,
            message: "expected a connection name after EXTENDED, found the end of the input", isAtEndOfInput: true),
        Case(
            sql: "ALTER CONNECTION x UNSET a.", line: 1, column: 28,
            message: "expected a word after '.' in the property key a, found the end of the input", isAtEndOfInput: true
        ),
        Case(
            sql: "BEGIN;\n\n  COMMIT NOW", line: 3, column: 10,
            message: "expected ';' or the end of the input after COMMIT, found 'NOW'"),
        Case(
            sql: "CREATE STORAGE CONNECTION x TYPE = S3\r\n\tREGION = = 'r'", line: 2, column: 11,
            message: "expected a string literal as the value of REGION, found '='"),
    ]

    @Test(arguments: cases)
    func reportsPlaceAndExpectation(_ testCase: Case) throws {
        let error = try #require(syntaxError(in: testCase.sql))
        #expect(error.line == testCase.line)
        #expect(error.column == testCase.column)
        #expect(error.message == testCase.message)
        #expect(error.isAtEndOfInput == testCase.isAtEndOfInput)
        #expect(error.code.rawValue == "syntax_error")
        #expect(
            error.description == "syntax error at line \(testCase.line), column \(testCase.column): \(testCase.message)"
        )
    }

    @Test(arguments: cases)
    func statementByStatementReportsTheSameError(_ testCase: Case) throws {
        let failures = Parser.statements(in: testCase.sql).compactMap { result -> SQLSyntaxError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        let first = try #require(failures.first)
        #expect(first.line == testCase.line)
        #expect(first.column == testCase.column)
        #expect(first.message == testCase.message)
    }

    @Test func parseOneOfNothingAsksForAStatement() throws {
        let error = try #require(throws: SQLSyntaxError.self) { try Parser.parseOne("  -- only a comment\n") }
        #expect(error.message == "expected a statement, found the end of the input")
        #expect(error.line == 2)
        #expect(error.column == 1)
        #expect(error.isAtEndOfInput)
    }
}
