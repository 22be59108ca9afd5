import CatalogSQL
import Testing

/// The line an error points at, with its caret, never showing a value (docs/cli.md, "Errors with their line").
@Suite struct SourceExcerptTests {
    @Test func caretStandsUnderTheColumnOfTheRightLine() {
        let error = RenderedError(code: "syntax_error", message: "x", line: 12, column: 6)
        #expect(
            SourceExcerpt.lines(for: error, in: "SHOW CONNECTIONS;\nDESC CONECTION x;", firstLine: 11)
                == "LINE 12: DESC CONECTION x;\n" + String(repeating: " ", count: 9 + 5) + "^\n")
    }

    @Test(arguments: [
        (
            "ALTER CONNECTION o SET ACCESS_KEY = 'hush-1', BOGUS = 'x'", 47,
            "ALTER CONNECTION o SET ACCESS_KEY = '…', BOGUS = '…'", 41
        ),
        ("ALTER CONNECTION o SET ACCESS_KEY = hush_1 junk", 37, "ALTER CONNECTION o SET ACCESS_KEY = … junk", 36),
        (
            "CREATE STORAGE CONNECTION x TYPE = OSS ACCESS_KEY = 'hush-1", 53,
            "CREATE STORAGE CONNECTION x TYPE = OSS ACCESS_KEY = '…", 52
        ),
        ("SET X = 'hush-1'", 10, "SET X = '…'", 8),
    ])
    func valuesAreHiddenAndTheCaretKeepsItsPlace(text: String, column: Int, shown: String, caret: Int) {
        let error = RenderedError(code: "invalid_value", message: "x", line: 1, column: column)
        let lines = SourceExcerpt.lines(for: error, in: text).split(separator: "\n").map(String.init)
        #expect(lines.first == "LINE 1: " + shown)
        #expect(lines.last == String(repeating: " ", count: 8 + caret) + "^")
        #expect(!lines.joined().contains("hush"))
    }

    @Test func noPositionNoExcerpt() {
        #expect(
            SourceExcerpt.lines(for: RenderedError(code: "wrong_key", message: "x"), in: "SHOW CONNECTIONS").isEmpty)
    }
}

/// `\h`: the grammar of each statement, as docs/sql.md has it.
@Suite struct StatementSyntaxTests {
    @Test(arguments: [
        ("CREATE", ["CREATE CONNECTION"]), ("describe", ["DESC CONNECTION"]),
        ("show", ["SHOW CONNECTIONS", "SHOW CONNECTION HISTORY"]),
        ("show connection history", ["SHOW CONNECTION HISTORY"]), ("SHOW CONNECTIONS LIKE", ["SHOW CONNECTIONS"]),
        ("nonsense", []),
    ])
    func topicsNameTheirStatements(topic: String, names: [String]) {
        #expect(StatementSyntax.entries(for: topic).map(\.name) == names)
    }

    @Test func newFormsAreDocumented() {
        #expect(StatementSyntax.help(for: "DESC").contains("CONNECTION [EXTENDED] name [ AS OF VERSION n ]"))
        #expect(StatementSyntax.help(for: "SHOW CONNECTION HISTORY").contains("SHOW CONNECTION HISTORY name"))
        #expect(StatementSyntax.help(for: "").contains("ALTER CONNECTION"))
    }
}
