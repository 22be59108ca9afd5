import CatalogSQL
import Testing

/// A planted secret never survives redaction, printing, or a syntax error (DESIGN.md §5).
@Suite struct RedactionTests {
    static let secret = "PLANTEDx9Qz7SecretValue"

    /// Every statement form that carries property values, each with the secret under a secret key.
    static let statementsWithSecrets: [String] = [
        "CREATE STORAGE CONNECTION o TYPE = OSS ENDPOINT = 'e' ACCESS_ID = 'id' ACCESS_KEY = '\(secret)' COMMENTS = 'c'",
        "CREATE STORAGE CONNECTION c TYPE = COS REGION = 'r' ACCESS_KEY = '\(secret)' SECRET_KEY = '\(secret)'",
        "CREATE STORAGE CONNECTION s TYPE = S3 ACCESS_KEY_ID = 'AKIA' SECRET_ACCESS_KEY = '\(secret)'",
        "CREATE STORAGE CONNECTION s TYPE = S3 access_key = \"\(secret)\" secret_access_key = \"\(secret)\"",
        "CREATE STORAGE CONNECTION s TYPE = S3 WITH PROPERTIES ('storage.secret_access_key' = '\(secret)')",
        "CREATE STORAGE CONNECTION s TYPE = OSS storage.access_key = '\(secret)'",
        "CREATE STORAGE CONNECTION c TYPE = COS APP_ID = 1 SECRET_KEY = 9\(secret)",
        "CREATE API CONNECTION f TYPE = CLOUD_FUNCTION PROVIDER = 'aws' SECRET_KEY = '\(secret)' COMMENT 'c'",
        "CREATE API CONNECTION f TYPE = CLOUD_FUNCTION WITH PROPERTIES ('cloud_function.access_key' = '\(secret)', "
            + "'cloud_function.external_id' = '\(secret)')",
        "ALTER CONNECTION s SET ACCESS_KEY = '\(secret)'",
        "ALTER CONNECTION IF EXISTS s SET REGION = 'r', 'SECRET_ACCESS_KEY' = '\(secret)', Secret_Key = '\(secret)'",
        "ALTER CONNECTION s SET `access_key` = 'it''s \(secret)'",
    ]

    @Test(arguments: statementsWithSecrets)
    func redactedStatementHidesTheSecret(sql: String) throws {
        let statement = try Parser.parseOne(sql).statement
        let redacted = statement.redacted(isSecret: RedactionPolicy.conservative)
        #expect(!redacted.sqlText.contains(Self.secret))
        #expect(redacted.sqlText.contains("'<redacted>'"))
        #expect(!String(describing: redacted).contains(Self.secret))
        #expect(!String(reflecting: redacted).contains(Self.secret))
        var dumped = ""
        dump(redacted, to: &dumped)
        #expect(!dumped.contains(Self.secret))
        // The redacted rendering is itself a statement.
        #expect(try Parser.parseOne(redacted.sqlText).statement.erasingPositions() == redacted.erasingPositions())
    }

    @Test(arguments: statementsWithSecrets)
    func printingAnUnredactedStatementStillHidesTheSecret(sql: String) throws {
        let parsed = try Parser.parseOne(sql)
        #expect(!String(describing: parsed.statement).contains(Self.secret))
        #expect(!"\(parsed)".contains(Self.secret))
        var dumped = ""
        dump(parsed, to: &dumped)
        #expect(!dumped.contains(Self.secret))
    }

    /// Misspelled secret keys and keys no schema knows, in failed statements: their values are hidden from the
    /// echo and the shell's history (`redactedForDisplay`), and the near misses from plain printing too.
    static let misspelledOrUnknownKeys: [(sql: String, nearMiss: Bool)] = [
        ("CREATE STORAGE CONNECTION o TYPE = OSS ENDPOINT = 'e' ACCESSKEY = '\(secret)'", true),
        ("CREATE STORAGE CONNECTION o TYPE = OSS ENDPOINT = 'e' ACCESS_KY = '\(secret)'", true),
        ("CREATE STORAGE CONNECTION s TYPE = S3 REGION = 'r' SECRET_ACCES_KEY = '\(secret)'", true),
        ("ALTER CONNECTION c SET SECRT_KEY = '\(secret)'", true),
        ("ALTER CONNECTION o SET EXTERNALID = '\(secret)'", true),
        ("CREATE STORAGE CONNECTION c TYPE = COS REGION = 'r' WHATEVER = '\(secret)'", false),
        ("ALTER CONNECTION c SET WHATEVER = '\(secret)'", false),
        ("CREATE API CONNECTION f TYPE = CLOUD_FUNCTION PROVIDER = 'aws' ENDPOINT = '\(secret)'", false),
    ]

    @Test(arguments: misspelledOrUnknownKeys)
    func misspelledAndUnknownKeysHaveTheirValuesHidden(sql: String, nearMiss: Bool) throws {
        let statement = try Parser.parseOne(sql).statement
        #expect(!statement.redactedForDisplay.sqlText.contains(Self.secret))
        if nearMiss { #expect(!String(describing: statement).contains(Self.secret)) }
    }

    @Test func knownHarmlessValuesStayVisible() throws {
        let sql =
            "CREATE STORAGE CONNECTION o TYPE = OSS ENDPOINT = 'oss.example' ACCESS_ID = 'LTAI' REGION = 'cn-hangzhou'"
        let shown = try Parser.parseOne(sql).statement.redactedForDisplay.sqlText
        for value in ["oss.example", "LTAI", "cn-hangzhou"] { #expect(shown.contains(value)) }
    }

    @Test func redactionKeepsOtherValuesAndPositions() throws {
        let sql = "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_ID = 'LTAI' ACCESS_KEY = '\(Self.secret)'"
        let statement = try Parser.parseOne(sql).statement
        guard case .createConnection(let create) = statement,
            case .createConnection(let redacted) = statement.redacted()
        else {
            Issue.record("not a CREATE")
            return
        }
        #expect(redacted.properties.map(\.value) == ["LTAI", "<redacted>"])
        #expect(redacted.properties.map(\.valuePosition) == create.properties.map(\.valuePosition))
        #expect(redacted.name == create.name)
    }

    @Test func predicateReceivesTypeNameAndEmptyTypeForAlter() throws {
        final class Calls: @unchecked Sendable {  // Safe because the test calls it from one thread only.
            var seen: [String] = []
        }
        let calls = Calls()
        let predicate: (String, String) -> Bool = { type, key in
            calls.seen.append("\(type)/\(key)")
            return type == "OSS" && key == "ACCESS_KEY"
        }
        let create = try Parser.parseOne("CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_ID = 'a' ACCESS_KEY = 'b'")
        #expect(
            create.statement.redacted(isSecret: predicate).sqlText.hasSuffix(
                "ACCESS_ID = 'a' ACCESS_KEY = '<redacted>'"))
        let alter = try Parser.parseOne("ALTER CONNECTION o SET ACCESS_KEY = 'b'")
        #expect(alter.statement.redacted(isSecret: predicate).sqlText == "ALTER CONNECTION o SET ACCESS_KEY = 'b'")
        #expect(calls.seen == ["OSS/ACCESS_ID", "OSS/ACCESS_KEY", "/ACCESS_KEY"])
    }

    @Test(arguments: [
        ("ACCESS_KEY", true), ("access_key", true), ("storage.access_key", true), ("SECRET_KEY", true),
        ("SECRET_ACCESS_KEY", true), ("cloud_function.external_id", true), ("DB_PASSWORD", true),
        ("session_token", true), ("private_key", true), ("client-secret", true),
        ("ACCESS_KEY_ID", false), ("ACCESS_ID", false), ("storage.access_key_id", false), ("PROVIDER", false),
        ("REGION", false), ("ROLE_ARN", false), ("ENDPOINT", false), ("APP_ID", false), ("CODE_BUCKET", false),
        ("NAMESPACE", false),
    ])
    func conservativePolicy(key: String, isSecret: Bool) {
        #expect(RedactionPolicy.conservative("", key) == isSecret)
        #expect(RedactionPolicy.conservative("S3", key) == isSecret)
    }

    /// Malformed statements where the secret sits in, beside or instead of a literal.
    static let malformedWithSecrets: [String] = [
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = '\(secret)",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = \"\(secret)",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = '\(secret)' (",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = '\(secret)'\(secret)'",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = '\(secret)'`\(secret)`",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = \(secret)",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = `\(secret)`",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY '\(secret)'",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = '\(secret)' = 'x'",
        "CREATE STORAGE CONNECTION o TYPE = OSS '\(secret)' 'x'",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = 1\(secret) 2",
        "CREATE STORAGE CONNECTION o TYPE = S3 WITH PROPERTIES ('secret_access_key' = '\(secret)' 'more')",
        "CREATE STORAGE CONNECTION o TYPE = S3 WITH PROPERTIES ('secret_access_key' = '\(secret)'",
        "CREATE STORAGE CONNECTION '\(secret)' TYPE = OSS",
        "CREATE STORAGE CONNECTION o TYPE '\(secret)'",
        "ALTER CONNECTION o SET SECRET_KEY = \"\(secret)",
        "ALTER CONNECTION o SET SECRET_KEY = '\(secret)' COMMENT = 'x'",
        "ALTER CONNECTION o SET SECRET_KEY = '\(secret)' '\(secret)'",
        "ALTER CONNECTION o SET SECRET_KEY = '\(secret)'.\(secret)",
        "ALTER CONNECTION o SET COMMENT = '\(secret)' x",
        "ALTER CONNECTION '\(secret)' ENABLE",
        "SHOW CONNECTIONS LIKE '\(secret)' WHERE name = 'x'",
        "SHOW CONNECTIONS WHERE name = \(secret)",
        "DROP CONNECTION '\(secret)'",
        "'\(secret)'",
        "CREATE STORAGE CONNECTION o TYPE = OSS ACCESS_KEY = '\(secret)' /* unterminated",
    ]

    @Test(arguments: malformedWithSecrets)
    func syntaxErrorsNeverQuoteTheSecret(sql: String) throws {
        let error = try #require(syntaxError(in: sql))
        for text in [error.message, error.description, String(describing: error), String(reflecting: error)] {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains("x9Qz7"))
        }
        for result in Parser.statements(in: "BEGIN; \(sql); COMMIT") {
            if case .failure(let error) = result {
                #expect(!String(reflecting: error).contains("x9Qz7"))
            }
        }
    }
}
