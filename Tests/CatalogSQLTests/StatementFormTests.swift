import CatalogSQL
import Testing

/// Every statement form of DESIGN.md §5 parses to the tree it means.
@Suite struct StatementFormTests {
    static let cloudFunction: [PropertyAssignment] = [
        property("PROVIDER", "aliyun"), property("REGION", "cn-hangzhou"),
        property("ROLE_ARN", "acs:ram::1234567890:role/fc"), property("CODE_BUCKET", "code"),
    ]

    static let cases: [(sql: String, expected: Statement)] = [
        (
            "CREATE API CONNECTION fc TYPE = CLOUD_FUNCTION PROVIDER = 'aliyun' REGION = 'cn-hangzhou' "
                + "ROLE_ARN = 'acs:ram::1234567890:role/fc' CODE_BUCKET = 'code' COMMENT = 'functions'",
            .createConnection(
                CreateConnection(
                    category: .api, name: name("fc"), typeName: name("CLOUD_FUNCTION"), properties: cloudFunction,
                    comment: "functions"))
        ),
        (
            "create api connection if not exists fc type cloud_function provider = 'tencent' region = 'ap-guangzhou' "
                + "role_arn = 'qcs::cam::uin/1:roleName/r' namespace = 'ns' code_bucket = 'b-1250000000' comment 'c'",
            .createConnection(
                CreateConnection(
                    category: .api, ifNotExists: true, name: name("fc"), typeName: name("cloud_function"),
                    properties: [
                        property("provider", "tencent"), property("region", "ap-guangzhou"),
                        property("role_arn", "qcs::cam::uin/1:roleName/r"), property("namespace", "ns"),
                        property("code_bucket", "b-1250000000"),
                    ],
                    comment: "c"))
        ),
        (
            "CREATE API CONNECTION fc TYPE CLOUD_FUNCTION WITH PROPERTIES ('cloud_function.provider' = 'aws', "
                + "'cloud_function.region' = 'us-east-1', 'cloud_function.role_arn' = 'arn:aws:iam::123456789012:role/x', "
                + "'cloud_function.code_bucket' = 'bucket') COMMENT 'lambda'",
            .createConnection(
                CreateConnection(
                    category: .api, name: name("fc"), typeName: name("CLOUD_FUNCTION"),
                    properties: [
                        property("cloud_function.provider", "aws"), property("cloud_function.region", "us-east-1"),
                        property("cloud_function.role_arn", "arn:aws:iam::123456789012:role/x"),
                        property("cloud_function.code_bucket", "bucket"),
                    ],
                    propertySyntax: .withProperties, comment: "lambda"))
        ),
        (
            "CREATE API CONNECTION IF NOT EXISTS fc TYPE = CLOUD_FUNCTION WITH PROPERTIES ('PROVIDER' = 'aliyun') "
                + "COMMENTS = 'plural'",
            .createConnection(
                CreateConnection(
                    category: .api, ifNotExists: true, name: name("fc"), typeName: name("CLOUD_FUNCTION"),
                    properties: [property("PROVIDER", "aliyun")], propertySyntax: .withProperties, comment: "plural"))
        ),
        (
            "CREATE STORAGE CONNECTION oss_conn TYPE = OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com' "
                + "ACCESS_ID = 'LTAI' ACCESS_KEY = 'k' COMMENTS = 'raw zone'",
            .createConnection(
                CreateConnection(
                    category: .storage, name: name("oss_conn"), typeName: name("OSS"),
                    properties: [
                        property("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"), property("ACCESS_ID", "LTAI"),
                        property("ACCESS_KEY", "k"),
                    ],
                    comment: "raw zone"))
        ),
        (
            "CREATE STORAGE CONNECTION cos TYPE COS REGION = 'ap-shanghai', APP_ID = 1250000000, "
                + "ACCESS_KEY = 'a', SECRET_KEY = 's' COMMENT 'commas and a bare number'",
            .createConnection(
                CreateConnection(
                    category: .storage, name: name("cos"), typeName: name("COS"),
                    properties: [
                        property("REGION", "ap-shanghai"), property("APP_ID", "1250000000"),
                        property("ACCESS_KEY", "a"),
                        property("SECRET_KEY", "s"),
                    ],
                    comment: "commas and a bare number"))
        ),
        (
            "CREATE STORAGE CONNECTION IF NOT EXISTS `123abc` TYPE = S3 storage.region = 'us-west-2' "
                + "ACCESS_KEY_ID = 'AKIA' SECRET_ACCESS_KEY = 'sk'",
            .createConnection(
                CreateConnection(
                    category: .storage, ifNotExists: true, name: name("123abc", quoted: true), typeName: name("S3"),
                    properties: [
                        property("storage.region", "us-west-2"), property("ACCESS_KEY_ID", "AKIA"),
                        property("SECRET_ACCESS_KEY", "sk"),
                    ]))
        ),
        (
            "CREATE STORAGE CONNECTION s3 TYPE = S3",
            .createConnection(
                CreateConnection(category: .storage, name: name("s3"), typeName: name("S3"), properties: []))
        ),
        ("DESC CONNECTION fc", .describeConnection(DescribeConnection(name: name("fc")))),
        ("DESCRIBE CONNECTION fc", .describeConnection(DescribeConnection(name: name("fc")))),
        ("describe connection extended fc", .describeConnection(DescribeConnection(name: name("fc"), extended: true))),
        (
            "DESC CONNECTION EXTENDED `select`",
            .describeConnection(DescribeConnection(name: name("select", quoted: true), extended: true))
        ),
        ("DESC CONNECTION fc AS OF VERSION 3", .describeConnection(DescribeConnection(name: name("fc"), version: 3))),
        (
            "describe connection extended `history` as of version 12",
            .describeConnection(DescribeConnection(name: name("history", quoted: true), extended: true, version: 12))
        ),
        ("SHOW CONNECTION HISTORY fc", .showConnectionHistory(ShowConnectionHistory(name: name("fc")))),
        ("show connection history version", .showConnectionHistory(ShowConnectionHistory(name: name("version")))),
        ("SHOW CONNECTIONS", .showConnections(ShowConnections())),
        ("SHOW API CONNECTIONS", .showConnections(ShowConnections(category: .api))),
        ("show storage connections", .showConnections(ShowConnections(category: .storage))),
        ("SHOW CONNECTIONS LIKE 'sales%'", .showConnections(ShowConnections(filter: .like("sales%")))),
        (
            "SHOW STORAGE CONNECTIONS LIKE '_3%'",
            .showConnections(ShowConnections(category: .storage, filter: .like("_3%")))
        ),
        (
            "SHOW API CONNECTIONS WHERE type = 'CLOUD_FUNCTION' AND enabled = 'ENABLED' and name = 'fc'",
            .showConnections(
                ShowConnections(
                    category: .api,
                    filter: .where([
                        ShowCondition(column: name("type"), value: "CLOUD_FUNCTION"),
                        ShowCondition(column: name("enabled"), value: "ENABLED"),
                        ShowCondition(column: name("name"), value: "fc"),
                    ])))
        ),
        ("DROP CONNECTION fc", .dropConnection(DropConnection(name: name("fc")))),
        ("drop connection if exists fc", .dropConnection(DropConnection(name: name("fc"), ifExists: true))),
        (
            "ALTER CONNECTION fc SET REGION = 'cn-shanghai'",
            .alterConnection(AlterConnection(name: name("fc"), action: .set([property("REGION", "cn-shanghai")])))
        ),
        (
            "ALTER CONNECTION IF EXISTS fc SET REGION = 'cn-shanghai', 'cloud_function.namespace' = 'ns'",
            .alterConnection(
                AlterConnection(
                    name: name("fc"), ifExists: true,
                    action: .set([property("REGION", "cn-shanghai"), property("cloud_function.namespace", "ns")])))
        ),
        (
            "ALTER CONNECTION fc UNSET NAMESPACE, 'cloud_function.region'",
            .alterConnection(
                AlterConnection(
                    name: name("fc"),
                    action: .unset([PropertyName("NAMESPACE"), PropertyName("cloud_function.region")])))
        ),
        (
            "ALTER CONNECTION fc SET COMMENT = 'new'",
            .alterConnection(AlterConnection(name: name("fc"), action: .setComment("new")))
        ),
        (
            "ALTER CONNECTION fc SET COMMENT 'no equals'",
            .alterConnection(AlterConnection(name: name("fc"), action: .setComment("no equals")))
        ),
        (
            "ALTER CONNECTION fc RENAME TO fc2",
            .alterConnection(AlterConnection(name: name("fc"), action: .rename(name("fc2"))))
        ),
        ("ALTER CONNECTION fc ENABLE", .alterConnection(AlterConnection(name: name("fc"), action: .enable))),
        (
            "alter connection if exists fc disable",
            .alterConnection(AlterConnection(name: name("fc"), ifExists: true, action: .disable))
        ),
        (
            "ALTER CONNECTION fc ROTATE external_id",
            .alterConnection(AlterConnection(name: name("fc"), action: .rotateExternalID))
        ),
        ("BEGIN", .begin),
        ("begin transaction", .begin),
        ("Commit", .commit),
        ("ROLLBACK WORK", .rollback),
        (
            "cReAtE sToRaGe CoNnEcTiOn MiXeD tYpE = oss EnDpOiNt = 'e' cOmMeNt = 'x'",
            .createConnection(
                CreateConnection(
                    category: .storage, name: name("MiXeD"), typeName: name("oss"),
                    properties: [property("EnDpOiNt", "e")],
                    comment: "x"))
        ),
        (
            "/* lead */ CREATE -- line\n STORAGE/*inline*/CONNECTION x -- tail\n TYPE/**/=/**/S3 -- c\n REGION='r' /* end */",
            .createConnection(
                CreateConnection(
                    category: .storage, name: name("x"), typeName: name("S3"), properties: [property("REGION", "r")]))
        ),
        (
            "ALTER CONNECTION x SET COMMENT = 'it''s ''quoted'''",
            .alterConnection(AlterConnection(name: name("x"), action: .setComment("it's 'quoted'")))
        ),
        (
            "ALTER CONNECTION x SET COMMENT = \"say \"\"hi\"\" and it's fine\"",
            .alterConnection(AlterConnection(name: name("x"), action: .setComment("say \"hi\" and it's fine")))
        ),
        (
            "DROP CONNECTION `we``ird`",
            .dropConnection(DropConnection(name: name("we`ird", quoted: true)))
        ),
        (
            "ALTER CONNECTION x SET COMMENT = '多行\n注释 -- not a comment /* nor this */'",
            .alterConnection(
                AlterConnection(name: name("x"), action: .setComment("多行\n注释 -- not a comment /* nor this */")))
        ),
    ]

    @Test(arguments: cases)
    func parsesToItsTree(sql: String, expected: Statement) throws {
        #expect(try parsed(sql) == expected)
    }

    @Test(arguments: cases)
    func parsesWithTrailingSemicolonAndComment(sql: String, expected: Statement) throws {
        #expect(try parsed(sql + " ; -- done") == expected)
    }

    @Test func keepsPositionsOfNamesKeysAndValues() throws {
        let sql = "CREATE STORAGE CONNECTION x TYPE = OSS\n  'storage.endpoint' = 'é'"
        guard case .createConnection(let create) = try Parser.parseOne(sql).statement else {
            Issue.record("not a CREATE")
            return
        }
        #expect(create.name.position == SourceRange(offset: 26, length: 1, line: 1, column: 27))
        #expect(create.typeName.position == SourceRange(offset: 35, length: 3, line: 1, column: 36))
        let endpoint = try #require(create.properties.first)
        #expect(endpoint.keyPosition == SourceRange(offset: 41, length: 18, line: 2, column: 3))
        #expect(endpoint.valuePosition == SourceRange(offset: 62, length: 4, line: 2, column: 24))
    }

    @Test func dottedIdentifierKeyCoversItsWholePath() throws {
        guard case .alterConnection(let alter) = try Parser.parseOne("ALTER CONNECTION x SET a . b.c = '1'").statement,
            case .set(let properties) = alter.action
        else {
            Issue.record("not an ALTER … SET")
            return
        }
        #expect(properties.first?.key == "a.b.c")
        #expect(properties.first?.keyPosition == SourceRange(offset: 23, length: 7, line: 1, column: 24))
    }

    @Test func readsScriptsWithLinesAndColumnsPerStatement() throws {
        let script = """
            BEGIN;
              CREATE STORAGE CONNECTION a TYPE = OSS
                ENDPOINT = 'e';;  DROP CONNECTION b;
            -- a comment line
            /* block
               comment */ SHOW CONNECTIONS; COMMIT
            """
        let statements = try Parser.parse(script)
        #expect(
            statements.map(\.statement.sqlText) == [
                "BEGIN", "CREATE STORAGE CONNECTION a TYPE = OSS ENDPOINT = 'e'", "DROP CONNECTION b",
                "SHOW CONNECTIONS",
                "COMMIT",
            ])
        #expect(statements.map(\.line) == [1, 2, 3, 6, 6])
        #expect(statements.map(\.column) == [1, 3, 23, 15, 33])
        let create = statements[1].range
        #expect(create.offset == 9)
        #expect(create.length == "CREATE STORAGE CONNECTION a TYPE = OSS\n    ENDPOINT = 'e'".utf8.count)
    }

    @Test func emptyTextAndBareSemicolonsHoldNoStatements() throws {
        #expect(try Parser.parse("").isEmpty)
        #expect(try Parser.parse(" ;; -- nothing\n ; /* */ ").isEmpty)
    }

    @Test func statementByStatementKeepsGoingAfterAnError() {
        let results = Array(Parser.statements(in: "BEGIN; CREATE x; DROP CONNECTION a; SHOW CONNECTIONS @ ; COMMIT"))
        #expect(results.count == 5)
        #expect((try? results[0].get().statement) == .begin)
        #expect(throws: SQLSyntaxError.self) { try results[1].get() }
        #expect(
            (try? results[2].get().statement.erasingPositions()) == .dropConnection(DropConnection(name: name("a"))))
        #expect(throws: SQLSyntaxError.self) { try results[3].get() }
        #expect((try? results[4].get().statement) == .commit)
    }

    @Test func statementByStatementStopsAtAnUnterminatedString() {
        let results = Array(Parser.statements(in: "BEGIN; ALTER CONNECTION x SET COMMENT = 'open; COMMIT; ROLLBACK"))
        #expect(results.count == 2)
        #expect((try? results[0].get().statement) == .begin)
        guard case .failure(let error) = results[1] else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(error.isAtEndOfInput)
    }

    @Test func parseOneRefusesASecondStatement() {
        #expect(throws: SQLSyntaxError.self) { try Parser.parseOne("BEGIN; COMMIT") }
        #expect((try? Parser.parseOne("BEGIN;"))?.statement == .begin)
    }
}
