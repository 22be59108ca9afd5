import CatalogSQL
import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Testing

/// A session over a catalog in a fresh temporary directory.
struct SessionFixture {
    let directory = TemporaryDirectory("catalog-sql")
    let catalog: Catalog

    init(creator: String = "tester") throws {
        catalog = try Catalog.open(
            at: directory.appending("catalog"), keySource: .keyFile(path: directory.appending("master.key")),
            options: Catalog.Options(creator: creator))
    }

    func session() -> Session { Session(catalog: catalog) }
}

let createFunction = """
    CREATE API CONNECTION fc TYPE = CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1'
        ROLE_ARN = 'arn:aws:iam::123456789012:role/lake' CODE_BUCKET = 'lake-code' COMMENT = 'udf'
    """

extension StatementOutcome {
    var resultSet: ResultSet? { if case .resultSet(let result) = self { result } else { nil } }
    var error: RenderedError? { if case .failure(let error) = self { error } else { nil } }
}

extension ResultSet {
    /// DESC's rows as a dictionary.
    var info: [String: String] {
        Dictionary(rows.map { ($0[0] ?? "", $0[1] ?? "") }, uniquingKeysWith: { first, _ in first })
    }
}

@Suite struct SessionTests {
    @Test func everyStatementFormRunsEndToEnd() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let script = """
            \(createFunction);
            CREATE API CONNECTION IF NOT EXISTS fc TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1'
                ROLE_ARN = 'arn:aws:iam::123456789012:role/lake' CODE_BUCKET = 'lake-code';
            CREATE API CONNECTION fc2 TYPE = CLOUD_FUNCTION WITH PROPERTIES (
                'cloud_function.provider' = 'tencent', 'cloud_function.region' = 'ap-guangzhou',
                'cloud_function.role_arn' = 'qcs::cam::uin/100012345678:roleName/lake',
                'cloud_function.namespace' = 'ns', 'cloud_function.code_bucket' = 'code-1250000000') COMMENT 'scf';
            CREATE STORAGE CONNECTION oss1 TYPE = OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com'
                ACCESS_ID = 'LTAIexample' ACCESS_KEY = 'oss-secret-000001' COMMENTS = 'logs';
            CREATE STORAGE CONNECTION cos1 TYPE COS REGION = 'ap-shanghai' APP_ID = '1250000000'
                ACCESS_KEY = 'AKIDexample' SECRET_KEY = 'cos-secret-000002';
            CREATE STORAGE CONNECTION s3one TYPE = S3 REGION = 'us-west-2' ROLE_ARN = 'arn:aws:iam::123456789012:role/s3';
            SHOW CONNECTIONS;
            SHOW API CONNECTIONS;
            SHOW STORAGE CONNECTIONS LIKE '%1';
            SHOW CONNECTIONS WHERE type = 's3' AND enabled = 'enabled';
            DESCRIBE CONNECTION fc2;
            ALTER CONNECTION fc SET REGION = 'us-west-1', CODE_BUCKET = 'lake-code-2';
            ALTER CONNECTION fc UNSET NAMESPACE;
            ALTER CONNECTION fc SET COMMENT = 'changed';
            ALTER CONNECTION fc DISABLE;
            ALTER CONNECTION fc ENABLE;
            ALTER CONNECTION fc ROTATE EXTERNAL_ID;
            ALTER CONNECTION fc RENAME TO fc_renamed;
            ALTER CONNECTION IF EXISTS ghost ENABLE;
            DROP CONNECTION s3one;
            DROP CONNECTION IF EXISTS s3one;
            DESC CONNECTION EXTENDED fc_renamed
            """
        let outcomes = session.executeBlocking(script)
        #expect(outcomes.count == 22)
        #expect(!outcomes.contains { $0.isFailure }, "\(outcomes.compactMap(\.error))")
        #expect(outcomes[1] == .ok(notices: ["connection 'fc' already exists; nothing changed"]))
        #expect(outcomes[6].resultSet?.rows.map { $0[0] } == ["cos1", "fc", "fc2", "oss1", "s3one"])
        #expect(outcomes[7].resultSet?.rows.map { $0[0] } == ["fc", "fc2"])
        #expect(outcomes[8].resultSet?.rows.map { $0[0] } == ["cos1", "oss1"])
        #expect(outcomes[9].resultSet?.rows.map { $0[0] } == ["s3one"])
        let fc2 = try #require(outcomes[10].resultSet?.info)
        #expect(fc2["PROVIDER"] == "tencent" && fc2["NAMESPACE"] == "ns" && fc2["comment"] == "scf")
        #expect(outcomes[12].isFailure == false)
        #expect(outcomes[18] == .ok(notices: ["connection 'ghost' does not exist; nothing changed"]))
        #expect(outcomes[20] == .ok(notices: ["connection 's3one' does not exist; nothing dropped"]))
        let described = try #require(outcomes[21].resultSet?.info)
        #expect(described["name"] == "fc_renamed" && described["REGION"] == "us-west-1")
        #expect(described["comment"] == "changed" && described["version"] == "8" && described["enabled"] == "ENABLED")
        let externalID = try #require(described["EXTERNAL_ID"])
        #expect(described["trust_policy"]?.contains("\"sts:ExternalId\": \"\(externalID)\"") == true)
    }

    @Test func describeShowsMetadataThenPropertiesThenExternalIDAndHidesSecrets() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking(
            """
            CREATE STORAGE CONNECTION oss1 TYPE = OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com'
                ACCESS_ID = 'LTAI5tExampleId' ACCESS_KEY = 'oss-secret-000001'
            """)
        let result = try #require(session.executeBlocking("DESC CONNECTION oss1").first?.resultSet)
        #expect(result.columns == ["info_name", "info_value"])
        #expect(
            result.rows.map { $0[0] ?? "" } == [
                "name", "category", "type", "enabled", "creator", "created_time", "last_modified_time", "version",
                "comment", "ENDPOINT", "ACCESS_ID", "ACCESS_KEY", "EXTERNAL_ID",
            ])
        #expect(result.info["ACCESS_ID"] == "LTAI5t*********")
        #expect(result.info["ACCESS_KEY"] == "********")
        #expect(result.info["creator"] == "tester" && result.info["category"] == "STORAGE")
        #expect(result.info["created_time"]?.hasSuffix("Z") == true && result.info["created_time"]?.count == 24)
    }

    @Test func trustPolicyNamesTheConfiguredPrincipal() throws {
        let fixture = try SessionFixture()
        try fixture.catalog.setSetting("trust.aws.principal", to: "arn:aws:iam::111122223333:root")
        let session = fixture.session()
        let outcomes = session.executeBlocking("\(createFunction); DESC CONNECTION EXTENDED fc")
        let policy = try #require(outcomes.last?.resultSet?.info["trust_policy"])
        #expect(policy.contains("\"AWS\": \"arn:aws:iam::111122223333:root\""))
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let sql: String
        let code: String
        let fragment: String
        let line: Int
        let column: Int
        var testDescription: String { code }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(
            sql: "CREATE API CONNECTION x PROVIDER = 'aws'", code: "syntax_error", fragment: "TYPE", line: 1, column: 25
        ),
        ErrorCase(
            sql: "DROP CONNECTION `bad-name`", code: "invalid_identifier", fragment: "bad-name", line: 1, column: 17),
        ErrorCase(
            sql: "CREATE API CONNECTION x TYPE CLOUD_FUNCTION PROVIDER = 'aws'\n  REGION = 'us-east-1'",
            code: "missing_property", fragment: "ROLE_ARN", line: 1, column: 1),
        ErrorCase(
            sql:
                "CREATE STORAGE CONNECTION x TYPE S3 REGION = 'us-east-1'\n  ROLE_ARN = 'arn:aws:iam::123456789012:role/r' NAMESPCE = 'x'",
            code: "unknown_property", fragment: "NAMESPCE", line: 2, column: 49),
        ErrorCase(
            sql:
                "CREATE STORAGE CONNECTION x TYPE S3 REGION = 'us-east-1' region = 'us-west-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'",
            code: "duplicate_property", fragment: "REGION", line: 1, column: 58),
        ErrorCase(
            sql:
                "CREATE STORAGE CONNECTION x TYPE S3 REGION = 'cn-north-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'",
            code: "invalid_value", fragment: "aws-cn", line: 1, column: 70),
        ErrorCase(
            sql: "\(createFunction); \(createFunction)", code: "already_exists", fragment: "IF NOT EXISTS", line: 2,
            column: 119),
        ErrorCase(sql: "DESC CONNECTION nowhere", code: "not_found", fragment: "nowhere", line: 1, column: 17),
        ErrorCase(
            sql: "CREATE STORAGE CONNECTION x TYPE = HDFS", code: "unsupported", fragment: "HDFS", line: 1, column: 36),
        ErrorCase(sql: "BEGIN; BEGIN", code: "unsupported", fragment: "nested", line: 1, column: 8),
        ErrorCase(
            sql: "CREATE API CONNECTION x TYPE = OSS", code: "invalid_value", fragment: "CREATE STORAGE", line: 1,
            column: 32),
    ]

    @Test(arguments: errorCases)
    func errorsCarryCodeMessageAndPosition(_ errorCase: ErrorCase) throws {
        let fixture = try SessionFixture()
        let outcomes = fixture.session().executeBlocking(errorCase.sql)
        let error = try #require(outcomes.last?.error, "\(outcomes)")
        #expect(error.code == errorCase.code)
        #expect(error.message.contains(errorCase.fragment), "\(error.message)")
        #expect(
            error.line == errorCase.line && error.column == errorCase.column,
            "at \(error.line ?? 0):\(error.column ?? 0) \(error.message)")
    }

    @Test func failingStatementStopsTheScriptAndKeepsEarlierCommits() throws {
        let fixture = try SessionFixture()
        let outcomes = fixture.session().executeBlocking("\(createFunction); DROP CONNECTION nope; DROP CONNECTION fc")
        #expect(outcomes.count == 2 && outcomes[1].error?.code == "not_found")
        #expect(try fixture.catalog.read { reader in try reader.count() } == 1)
    }

    @Test func beginCommitAppliesAllOrNothing() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let outcomes = session.executeBlocking(
            """
            BEGIN; \(createFunction); ALTER CONNECTION fc SET COMMENT = 'in txn'; DESC CONNECTION fc
            """)
        #expect(outcomes.last?.resultSet?.info["comment"] == "in txn", "reads inside BEGIN see the pending statements")
        #expect(try fixture.catalog.read { reader in try reader.count() } == 0, "nothing is written before COMMIT")
        // A statement that fails inside the transaction is refused; the transaction stays open.
        #expect(session.executeBlocking("DROP CONNECTION nope").first?.error?.code == "not_found")
        #expect(session.isInTransaction)
        #expect(session.executeBlocking("COMMIT") == [.ok(notices: ["committed 2 statement(s)"])])
        let committed = try fixture.catalog.read { reader in try reader.connection(named: ConnectionName("fc")) }
        #expect(committed?.comment == "in txn" && committed?.version == 2)
    }

    @Test func rollbackAppliesNothing() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking("BEGIN; \(createFunction); ROLLBACK")
        #expect(!session.isInTransaction)
        #expect(try fixture.catalog.read { reader in try reader.count() } == 0)
    }

    @Test func changeByAnotherSessionBetweenBeginAndCommitIsAConflict() throws {
        let fixture = try SessionFixture()
        _ = fixture.session().executeBlocking(createFunction)
        let first = fixture.session()
        _ = first.executeBlocking("BEGIN; ALTER CONNECTION fc SET COMMENT = 'first'")
        #expect(
            !fixture.session().executeBlocking("ALTER CONNECTION fc SET COMMENT = 'second'").contains { $0.isFailure })
        let commit = first.executeBlocking("COMMIT")
        #expect(commit.first?.error?.code == "conflict")
        #expect(!first.isInTransaction)
        let comment = try fixture.catalog.read { reader in try reader.connection(named: ConnectionName("fc"))?.comment }
        #expect(comment == "second")
    }

    @Test func plantedSecretNeverReachesAnOutcome() throws {
        let fixture = try SessionFixture()
        let secret = PlantedSecret()
        let scanner = SecretScanner(secret)
        let value = secret.value
        let statements = [
            "CREATE STORAGE CONNECTION s3p TYPE S3 REGION = 'us-east-1' ACCESS_KEY_ID = 'AKIAEXAMPLE0001' SECRET_ACCESS_KEY = '\(value)'",
            "DESC CONNECTION EXTENDED s3p",
            "SHOW CONNECTIONS WHERE name = 's3p'",
            "ALTER CONNECTION s3p SET SECRET_ACCESS_KEY = '\(value)x'",
            "ALTER CONNECTION s3p SET SECRET_ACCESS_KEY = '\(value)', NAMESPCE = 'x'",
            "ALTER CONNECTION s3p SET SECRET_ACCESS_KEY = '\(value)', REGION = 'not a region'",
            "CREATE STORAGE CONNECTION s3q TYPE S3 REGION = 'us-east-1' ACCESS_KEY_ID = 'AKIAEXAMPLE0001' SECRET_ACCESS_KEY = '\(value)' SECRET_ACCESS_KEY = '\(value)'",
            "CREATE STORAGE CONNECTION s3q TYPE S3 REGION = 'us-east-1' SECRET_ACCESS_KEY = '\(value)' BOGUS = 'x'",
            "CREATE STORAGE CONNECTION oss TYPE OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com' ACCESS_ID = 'LTAIx' ACCESS_KEY = '\(value)' ENDPOINT = 'x'",
            "CREATE STORAGE CONNECTION cos TYPE COS REGION = 'ap-shanghai' APP_ID = 'abc' ACCESS_KEY = 'AKID' SECRET_KEY = '\(value)'",
            "CREATE STORAGE CONNECTION s3r TYPE S3 REGION = 'us-east-1' SECRET_ACCESS_KEY = '\(value)",
            "CREATE STORAGE CONNECTION s3r TYPE S3 SECRET_ACCESS_KEY = '\(value)' REGION 'us-east-1'",
            "BEGIN; ALTER CONNECTION s3p SET SECRET_ACCESS_KEY = '\(value)'; ALTER CONNECTION s3p SET REGION = 'bad'; COMMIT",
        ]
        for statement in statements {
            for outcome in fixture.session().executeBlocking(statement) {
                for format in OutputFormat.allCases {
                    let rendered = format.render(outcome)
                    #expect(
                        scanner.findings(in: rendered.output + rendered.diagnostics).isEmpty,
                        "\(format): \(statement.prefix(40))")
                }
                #expect(scanner.findings(in: String(describing: outcome)).isEmpty)
            }
            for parsed in Parser.statements(in: statement) {
                if case .success(let parsed) = parsed {
                    #expect(scanner.findings(in: parsed.statement.redactedForDisplay.sqlText).isEmpty)
                }
            }
        }
        #expect(try scanner.findings(inFileAt: fixture.directory.appending("catalog/data.mdb")).isEmpty)
    }
}
