import CatalogSQL
import Testing

/// `sqlText` renders a statement that parses back to the same tree.
@Suite struct RoundTripTests {
    static let awkward: [String] = [
        "ALTER CONNECTION x SET COMMENT = 'quote '' and \"double\" and `tick`'",
        "ALTER CONNECTION x SET COMMENT = '\u{27}\u{27}\u{301} combining mark after a quote'",
        "ALTER CONNECTION `we``ird name` RENAME TO `select`",
        "ALTER CONNECTION x SET 'comment' = 'a property called comment', `COMMENTS` = 'b'",
        "ALTER CONNECTION x UNSET 'comment', 'with space', a.b",
        "CREATE STORAGE CONNECTION `` TYPE = `` '' = ''",
        "CREATE STORAGE CONNECTION x TYPE = S3 'has.dots.and space' = 'v' 'comment.x' = 'w' \"1abc\" = \"2\"",
        "CREATE API CONNECTION x TYPE = CLOUD_FUNCTION WITH PROPERTIES (PROVIDER = 'a', `b c` = 'd')",
        "SHOW CONNECTIONS WHERE `select` = 'x' AND type = 'OSS' AND `and` = 'y'",
        "SHOW CONNECTIONS LIKE ''",
        "ALTER CONNECTION x SET COMMENT = '-- not /* a */ comment;'",
        "CREATE STORAGE CONNECTION x TYPE = OSS ENDPOINT = 'line\nbreak' COMMENT = 'tab\there'",
    ]

    static var everyForm: [String] { StatementFormTests.cases.map(\.sql) + awkward }

    @Test(arguments: everyForm)
    func sqlTextParsesBackToTheSameTree(sql: String) throws {
        let statement = try parsed(sql)
        let rendered = statement.sqlText
        #expect(try parsed(rendered) == statement, "rendered as \(rendered)")
        // Canonical: rendering the re-parsed statement changes nothing.
        #expect(try parsed(rendered).sqlText == rendered)
    }

    @Test(arguments: everyForm)
    func redactedSQLTextParsesBackToTheRedactedTree(sql: String) throws {
        let redacted = try parsed(sql).redacted(isSecret: { _, _ in true })
        #expect(try parsed(redacted.sqlText) == redacted)
    }

    @Test func canonicalRenderings() throws {
        let expectations: [(String, String)] = [
            (
                "create storage connection if not exists o type oss endpoint='e' comments 'c'",
                "CREATE STORAGE CONNECTION IF NOT EXISTS o TYPE = oss endpoint = 'e' COMMENT = 'c'"
            ),
            ("desc connection extended fc", "DESCRIBE CONNECTION EXTENDED fc"),
            (
                "show api connections where name = 'a' and type = 'b'",
                "SHOW API CONNECTIONS WHERE name = 'a' AND type = 'b'"
            ),
            (
                "alter connection if exists fc set a = 1, b = \"it's\"",
                "ALTER CONNECTION IF EXISTS fc SET a = '1', b = 'it''s'"
            ),
            ("begin work", "BEGIN"),
        ]
        for (sql, canonical) in expectations {
            #expect(try Parser.parseOne(sql).statement.sqlText == canonical)
        }
    }

    @Test func constructedNamesThatNeedQuotesGetThem() {
        let statement = Statement.dropConnection(DropConnection(name: SQLIdentifier("storage")))
        #expect(statement.sqlText == "DROP CONNECTION `storage`")
        let digits = Statement.describeConnection(DescribeConnection(name: SQLIdentifier("1a")))
        #expect(digits.sqlText == "DESCRIBE CONNECTION `1a`")
    }
}
