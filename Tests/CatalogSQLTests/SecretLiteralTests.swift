import CatalogSQL
import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Testing

/// String literals from the lexer on: held in wiped storage, never printed, handed to the domain as bytes.
@Suite struct SecretLiteralTests {
    // MARK: - Wiped storage

    @Test func explicitWipeZeroesTheBuffer() {
        let secret = PlantedSecret()
        let buffer = WipedBuffer(utf8: "prefix " + secret.value + " and some more text")
        #expect(buffer.withBytes(from: 7, to: 7 + secret.bytes.count) { Array($0) } == secret.bytes)
        buffer.wipeForTesting()
        #expect(buffer.withBytes(from: 0, to: buffer.count) { bytes in bytes.allSatisfy { $0 == 0 } })
        #expect(buffer.count == 7 + secret.bytes.count + 19)
    }

    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 4096 + 3])
    func explicitWipeZeroesEveryLength(count: Int) {
        let buffer = WipedBuffer(count: count) { start in start.initialize(repeating: 0xA5, count: count) }
        buffer.wipeForTesting()
        #expect(buffer.withBytes(from: 0, to: count) { bytes in bytes.allSatisfy { $0 == 0 } })
    }

    @Test func literalValueIsItsDecodedBytes() throws {
        let statement = try parsed("ALTER CONNECTION c SET ACCESS_KEY = 'it''s', SECRET_KEY = '', REGION = 'é-1'")
        guard case .alterConnection(let alter) = statement, case .set(let assignments) = alter.action else {
            Issue.record("not an ALTER … SET: \(statement)")
            return
        }
        #expect(
            assignments.map { $0.value.withUTF8Bytes { Array($0) } } == [Array("it's".utf8), [], Array("é-1".utf8)])
        #expect(assignments.map(\.value.utf8Count) == [4, 0, 4])
        #expect(assignments.map(\.value.string) == ["it's", "", "é-1"])
        #expect(assignments[0].value == SQLStringValue("it's") && assignments[0].value != "its")
        #expect(assignments[0].value.equals("it's") && !assignments[0].value.equals("it'"))
    }

    @Test func doubledQuotesAndBackticksAreUndone() throws {
        let statement = try parsed(
            #"CREATE STORAGE CONNECTION `a``b` TYPE OSS ACCESS_KEY = "say ""hi""" 'k''' = 'v'"#)
        #expect(
            statement
                == .createConnection(
                    CreateConnection(
                        category: .storage, name: name("a`b", quoted: true), typeName: name("OSS"),
                        properties: [property("ACCESS_KEY", #"say "hi""#), property("k'", "v")])))
    }

    @Test func bareNumberValueIsKeptAsALiteral() throws {
        let statement = try parsed("ALTER CONNECTION c SET APP_ID = 1250000000")
        #expect(
            statement
                == .alterConnection(AlterConnection(name: name("c"), action: .set([property("APP_ID", "1250000000")]))))
    }

    // MARK: - Never printed

    @Test func secretLiteralNeverPrints() throws {
        let secret = PlantedSecret()
        let scanner = SecretScanner(secret)
        let sql = """
            CREATE STORAGE CONNECTION o TYPE OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com' ACCESS_ID = 'LTAI'
                ACCESS_KEY = '\(secret.value)' COMMENT = 'c';
            ALTER CONNECTION o SET ACCESS_KEY = '\(secret.value)''x'
            """
        let statements = try Parser.parse(sql)
        var printed: [String] = []
        for parsed in statements {
            printed += [
                "\(parsed)", String(reflecting: parsed), "\(parsed.statement)", String(reflecting: parsed.statement),
            ]
            var dumped = ""
            dump(parsed.statement, to: &dumped)
            printed.append(dumped)
            let assignments: [PropertyAssignment]
            switch parsed.statement {
            case .createConnection(let create): assignments = create.properties
            case .alterConnection(let alter):
                guard case .set(let set) = alter.action else { continue }
                assignments = set
            default: continue
            }
            for assignment in assignments {
                printed += [
                    "\(assignment)", String(reflecting: assignment), "\(assignment.value)",
                    String(reflecting: assignment.value),
                ]
                var dumpedValue = ""
                dump(assignment.value, to: &dumpedValue)
                printed.append(dumpedValue)
            }
        }
        var lexer = Lexer(sql)
        while true {
            let token = try lexer.next()
            if token.kind == .endOfInput { break }
            printed += [token.summary, token.kindSummary, String(reflecting: token), "\(token)"]
        }
        for text in printed {
            #expect(scanner.findings(in: text).isEmpty, "the secret printed: \(text.count) characters")
        }
        // The values are there, only not printed.
        let create = try #require(statements.first)
        guard case .createConnection(let parsedCreate) = create.statement else { throw CancellationError() }
        #expect(parsedCreate.properties[2].value.equals(secret.value))
    }

    @Test func syntaxErrorsAroundASecretLiteralNeverQuoteIt() {
        let secret = PlantedSecret()
        let scanner = SecretScanner(secret)
        let statements = [
            "ALTER CONNECTION o SET ACCESS_KEY '\(secret.value)'",
            "ALTER CONNECTION o SET ACCESS_KEY = '\(secret.value)' REGION = 'x'",
            "CREATE STORAGE CONNECTION o TYPE OSS ACCESS_KEY = '\(secret.value)' )",
            "CREATE STORAGE CONNECTION o TYPE OSS ACCESS_KEY = '\(secret.value)''",
            "CREATE STORAGE CONNECTION o TYPE OSS ACCESS_KEY = '\(secret.value)'\(secret.value)",
            "DESC CONNECTION '\(secret.value)'",
        ]
        for sql in statements {
            let error = syntaxError(in: sql)
            #expect(error != nil, "no syntax error")
            if let error {
                #expect(scanner.findings(in: error.message).isEmpty)
                #expect(
                    scanner.findings(in: "\(error)").isEmpty && scanner.findings(in: String(reflecting: error)).isEmpty)
            }
        }
    }

    // MARK: - Into the domain as bytes

    @Test func secretCreatedThroughSQLSealsTheLiteralsBytes() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let secret = PlantedSecret()
        let quoted = secret.value + "'q"  // written with a doubled quote, stored with one
        let outcomes = session.executeBlocking(
            """
            CREATE STORAGE CONNECTION s3k TYPE S3 REGION = 'us-east-1' ACCESS_KEY_ID = 'AKIAEXAMPLE0001'
                SECRET_ACCESS_KEY = '\(secret.value)''q'
            """)
        #expect(outcomes.allSatisfy { !$0.isFailure }, "\(outcomes.map(\.error))")
        let stored = try fixture.catalog.read { reader in
            try reader.withSecret(.secretAccessKey, ofConnectionNamed: ConnectionName("s3k")) { Array($0) }
        }
        #expect(stored == Array(quoted.utf8))
        let described = try #require(session.executeBlocking("DESC CONNECTION s3k").first?.resultSet)
        #expect(described.info["REGION"] == "us-east-1")
        #expect(described.info["SECRET_ACCESS_KEY"] == "********")
        #expect(SecretScanner(secret).findings(in: "\(described.rows)").isEmpty)

        _ = session.executeBlocking("ALTER CONNECTION s3k SET SECRET_ACCESS_KEY = '\(secret.value)'")
        let altered = try fixture.catalog.read { reader in
            try reader.withSecret(.secretAccessKey, ofConnectionNamed: ConnectionName("s3k")) { Array($0) }
        }
        #expect(altered == secret.bytes)
    }

    @Test func plainValueTypedAsALiteralValidatesAsBefore() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let create = """
            CREATE STORAGE CONNECTION s3r TYPE S3
                REGION = 'us-east1' ROLE_ARN = 'arn:aws:iam::123456789012:role/x'
            """
        let expected = try #require(throws: CatalogError.self) {
            try PropertyValidator.validateCreate(
                [("REGION", "us-east1"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/x")], type: .s3)
        }
        let failure = try #require(session.executeBlocking(create).first?.error)
        #expect(failure.code == expected.code.rawValue)
        #expect(failure.message == expected.message)
        #expect(failure.message.contains("REGION 'us-east1' is not valid"))
        #expect(failure.line == 2 && failure.column == 14)

        let typo = try #require(
            session.executeBlocking("CREATE STORAGE CONNECTION s3r TYPE S3 REGON = 'us-east-1'").first?.error)
        #expect(typo.code == "unknown_property" && typo.message.contains("did you mean REGION?"))
        #expect(typo.line == 1 && typo.column == 39)

        _ = session.executeBlocking(
            "CREATE STORAGE CONNECTION s3r TYPE S3 REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/x'")
        let alter = try #require(
            session.executeBlocking("ALTER CONNECTION s3r SET ROLE_ARN = 'arn:aws:iam::1:role/x'").first?.error)
        #expect(
            alter.code == "invalid_value" && alter.message.hasPrefix("ROLE_ARN 'arn:aws:iam::1:role/x' is not valid"))
        #expect(alter.line == 1 && alter.column == 37)
        let stored = try fixture.catalog.read { reader in try reader.connection(named: ConnectionName("s3r")) }
        #expect(stored?.properties[.region] == "us-east-1")
    }

    @Test(arguments: [
        [("REGION", "us-east1"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/x")],
        [("REGION", "us-east-1"), ("ACCESS_KEY_ID", "AKIA"), ("SECRET_ACCESS_KEY", "with space")],
        [("REGION", "us-east-1"), ("ACCESS_KEY_ID", "AKIA"), ("SECRET_ACCESS_KEY", "")],
        [("REGON", "us-east-1")],
        [("REGION", "us-east-1"), ("region", "us-east-2")],
        [
            ("REGION", "us-east-1"), ("ACCESS_KEY_ID", "AKIA"), ("SECRET_ACCESS_KEY", "s3cret"),
            ("ENDPOINT", "http://x"),
        ],
    ])
    func validatorGivesWipedInputTheSameErrorsAsText(assignments: [(String, String)]) {
        let text = assignments.map { (key: $0.0, value: PropertyInput.text($0.1)) }
        let wiped = assignments.map { (key: $0.0, value: PropertyInput.wiped(SQLStringValue($0.1))) }
        let fromText = #expect(throws: CatalogError.self) { try PropertyValidator.validateCreate(text, type: .s3) }
        let fromWiped = #expect(throws: CatalogError.self) { try PropertyValidator.validateCreate(wiped, type: .s3) }
        #expect(fromWiped?.code == fromText?.code)
        #expect(fromWiped?.message == fromText?.message)
        #expect(fromWiped?.details == fromText?.details)
    }

    @Test func validatorSealsWipedInputAndKeepsPlainValuesAsText() throws {
        let secret = PlantedSecret()
        let inputs: [(key: String, value: PropertyInput)] = [
            ("REGION", .wiped(SQLStringValue("us-east-1"))), ("ACCESS_KEY_ID", .wiped(SQLStringValue("AKIAEXAMPLE"))),
            ("SECRET_ACCESS_KEY", .wiped(SQLStringValue(secret.value))),
        ]
        let validated = try PropertyValidator.validateCreate(inputs, type: .s3)
        #expect(validated.properties[.region] == "us-east-1")
        #expect(validated.properties[.accessKeyID] == "AKIAEXAMPLE")
        #expect(validated.properties[.secretAccessKey] == nil)
        let sealed = try #require(validated.secrets[.secretAccessKey])
        #expect(sealed.withBytes { Array($0) } == secret.bytes)
        #expect(SecretScanner(secret).findings(in: "\(validated.secrets) \(String(reflecting: sealed))").isEmpty)
    }
}
