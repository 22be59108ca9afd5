import CatalogTestSupport
import Foundation
import Testing

/// Every statement form of docs/sql.md, end to end through the binary, checked through JSON output.
@Suite struct StatementFormTests {
    @Test func createAPIWithKeywordProperties() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fn", comment: "Sales"))
        let desc = try home.describe("fn")
        #expect(desc["category"] == "API")
        #expect(desc["type"] == "CLOUD_FUNCTION")
        #expect(desc["enabled"] == "ENABLED")
        #expect(desc["version"] == "1")
        #expect(desc["comment"] == "Sales")
        #expect(desc["PROVIDER"] == "aws")
        #expect(desc["REGION"] == "us-east-1")
        #expect(desc["ROLE_ARN"] == .some(SQLFixture.awsRole))
        #expect(desc["NAMESPACE"] == "default")
        #expect(desc["CODE_BUCKET"] == "code-bucket")
        #expect((desc["EXTERNAL_ID"] ?? nil)?.isEmpty == false)
    }

    @Test func createAPIWithPropertiesList() throws {
        let home = CatalogHome()
        try home.sql(
            """
            CREATE API CONNECTION fn2 TYPE CLOUD_FUNCTION WITH PROPERTIES (
                'cloud_function.provider' = 'tencent', 'cloud_function.region' = 'ap-guangzhou',
                'cloud_function.role_arn' = 'qcs::cam::uin/100000000001:roleName/lake',
                'cloud_function.namespace' = 'ns1', 'cloud_function.code_bucket' = 'code-1250000000')
            COMMENT 'via properties'
            """)
        let desc = try home.describe("fn2")
        #expect(desc["PROVIDER"] == "tencent")
        #expect(desc["REGION"] == "ap-guangzhou")
        #expect(desc["NAMESPACE"] == "ns1")
        #expect(desc["comment"] == "via properties")
    }

    @Test func createStorageOfEachType() throws {
        let home = CatalogHome()
        try home.sql([SQLFixture.oss("o"), SQLFixture.cos("c"), SQLFixture.s3("s")].joined(separator: ";"))
        let oss = try home.describe("o")
        #expect(oss["category"] == "STORAGE")
        #expect(oss["type"] == "OSS")
        #expect(oss["ENDPOINT"] == "oss-cn-hangzhou.aliyuncs.com")
        #expect(oss["ACCESS_ID"] == "LTAI5t********")
        #expect(oss["ACCESS_KEY"] == "********")
        let cos = try home.describe("c")
        #expect(cos["type"] == "COS")
        #expect(cos["APP_ID"] == "1250000000")
        #expect(cos["SECRET_KEY"] == "********")
        let s3 = try home.describe("s")
        #expect(s3["type"] == "S3")
        #expect(s3["ACCESS_KEY_ID"] == "AKIAAB******")
        #expect(s3["SECRET_ACCESS_KEY"] == "********")
        // COMMENTS is the storage spelling of COMMENT.
        try home.sql(SQLFixture.s3("s_commented") + " COMMENTS = 'both spellings'")
        #expect(try home.describe("s_commented")["comment"] == "both spellings")
    }

    @Test(arguments: ["DESC", "DESCRIBE", "desc"])
    func describeSpellings(keyword: String) throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fn"))
        let result = try #require(try home.sql("\(keyword) CONNECTION fn").first?.resultSet)
        #expect(
            result.rows.map { $0[0] } == [
                "name", "category", "type", "enabled", "creator", "created_time", "last_modified_time", "version",
                "comment",
                "PROVIDER", "REGION", "ROLE_ARN", "NAMESPACE", "CODE_BUCKET", "EXTERNAL_ID",
            ])
    }

    @Test func describeExtendedShowsTheTrustPolicyWithTheExternalID() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fn"))
        let desc = try home.describe("fn", extended: true)
        let externalID = try #require(desc["EXTERNAL_ID"] ?? nil)
        let policy = try #require(desc["trust_policy"] ?? nil)
        func condition(_ policy: String) throws -> (principal: Any?, externalID: String?) {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(policy.utf8)) as? [String: Any])
            let statement = try #require((document["Statement"] as? [[String: Any]])?.first)
            let equals = (statement["Condition"] as? [String: Any])?["StringEquals"] as? [String: Any]
            return ((statement["Principal"] as? [String: Any])?["AWS"], equals?["sts:ExternalId"] as? String)
        }
        #expect(try condition(policy).externalID == externalID)
        #expect(!policy.contains("arn:aws:iam::111122223333:root"))

        let set = try home.run(["settings", "set", "trust.aws.principal", "arn:aws:iam::111122223333:root"])
        #expect(set.status == 0)
        let after = try #require(try home.describe("fn", extended: true)["trust_policy"] ?? nil)
        #expect(try condition(after).principal as? String == "arn:aws:iam::111122223333:root")
        #expect(try condition(after).externalID == externalID)
        #expect(try home.describe("fn")["trust_policy"] == nil, "plain DESC has no trust policy")
    }

    static let showCases: [(String, [String])] = [
        ("SHOW CONNECTIONS", ["api_a", "api_b", "cos_c", "oss_a", "s3_b"]),
        ("SHOW API CONNECTIONS", ["api_a", "api_b"]),
        ("SHOW STORAGE CONNECTIONS", ["cos_c", "oss_a", "s3_b"]),
        ("SHOW CONNECTIONS LIKE '%_a'", ["api_a", "oss_a"]),
        ("SHOW CONNECTIONS LIKE 'API%'", ["api_a", "api_b"]),
        ("SHOW STORAGE CONNECTIONS LIKE 'C_S%'", ["cos_c"]),
        ("SHOW CONNECTIONS WHERE type = 'S3'", ["s3_b"]),
        ("SHOW CONNECTIONS WHERE category = 'STORAGE' AND enabled = 'DISABLED'", ["oss_a"]),
        ("SHOW API CONNECTIONS WHERE enabled = 'ENABLED' AND provider = 'aws'", ["api_a", "api_b"]),
        ("SHOW CONNECTIONS WHERE name = 'nothing'", []),
    ]

    @Test func showFilters() throws {
        let home = CatalogHome()
        try home.sql(
            [
                SQLFixture.s3("s3_b"), SQLFixture.api("api_b"), SQLFixture.oss("oss_a"), SQLFixture.cos("cos_c"),
                SQLFixture.api("api_a"), "ALTER CONNECTION oss_a DISABLE",
            ].joined(separator: ";"))
        for (statement, expected) in Self.showCases {
            let result = try #require(try home.sql(statement).first?.resultSet)
            #expect(result.columns == ["name", "category", "type", "enabled", "created_time"])
            #expect(result.rows.map { $0[0] } == expected, "\(statement)")
        }
        let disabled = try #require(try home.sql("SHOW CONNECTIONS LIKE 'oss%'").first?.resultSet)
        #expect(disabled.rows.first?[1...3] == ["STORAGE", "OSS", "DISABLED"])
    }

    @Test func dropAndDropIfExists() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("a") + ";" + SQLFixture.api("b"))
        #expect(try home.sql("DROP CONNECTION a") == [.ok(notices: [])])
        #expect(try home.names() == ["b"])
        #expect(try home.attempt("DROP CONNECTION a").errorCode == "not_found")
        #expect(
            try home.sql("DROP CONNECTION IF EXISTS a") == [
                .ok(notices: ["connection 'a' does not exist; nothing dropped"])
            ])
        #expect(try home.sql("DROP CONNECTION IF EXISTS b") == [.ok(notices: [])])
        #expect(try home.names().isEmpty)
    }

    @Test func createIfNotExistsChangesNothing() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fn", comment: "first"))
        let outcomes = try home.sql(
            SQLFixture.api("fn", comment: "second").replacingOccurrences(
                of: "CONNECTION fn", with: "CONNECTION IF NOT EXISTS fn"))
        #expect(outcomes == [.ok(notices: ["connection 'fn' already exists; nothing changed"])])
        #expect(try home.describe("fn")["comment"] == "first")
    }

    @Test func everyAlterForm() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fn") + ";" + SQLFixture.oss("o"))
        let original = try home.describe("fn")

        try home.sql("ALTER CONNECTION fn SET REGION = 'us-west-2', NAMESPACE = 'ns'")
        var desc = try home.describe("fn")
        #expect(desc["REGION"] == "us-west-2")
        #expect(desc["NAMESPACE"] == "ns")
        #expect(desc["version"] == "2")

        try home.sql("ALTER CONNECTION fn UNSET NAMESPACE")
        #expect(try home.describe("fn")["NAMESPACE"] == "default", "unset falls back to the default")

        try home.sql("ALTER CONNECTION fn SET COMMENT = 'commented'")
        #expect(try home.describe("fn")["comment"] == "commented")

        try home.sql("ALTER CONNECTION fn DISABLE")
        #expect(try home.describe("fn")["enabled"] == "DISABLED")
        try home.sql("ALTER CONNECTION fn ENABLE")
        #expect(try home.describe("fn")["enabled"] == "ENABLED")

        try home.sql("ALTER CONNECTION fn ROTATE EXTERNAL_ID")
        desc = try home.describe("fn")
        let rotated = try #require(desc["EXTERNAL_ID"] ?? nil)
        #expect(rotated != original["EXTERNAL_ID"] ?? nil)

        try home.sql("ALTER CONNECTION fn RENAME TO renamed")
        #expect(try home.names() == ["o", "renamed"])
        desc = try home.describe("renamed")
        #expect(desc["EXTERNAL_ID"] == .some(rotated), "the external ID survives RENAME")
        #expect(desc["created_time"] == original["created_time"])
        #expect(desc["version"] == "8")
        #expect(desc["comment"] == "commented")
        #expect(try home.attempt("DESC CONNECTION fn").errorCode == "not_found")

        // Secrets change through SET too, and stay hidden.
        try home.sql("ALTER CONNECTION o SET ACCESS_KEY = 'another-secret'")
        #expect(try home.describe("o")["ACCESS_KEY"] == "********")
        #expect(try home.describe("o")["version"] == "2")

        #expect(
            try home.sql("ALTER CONNECTION IF EXISTS gone ENABLE") == [
                .ok(notices: ["connection 'gone' does not exist; nothing changed"])
            ])
    }

    @Test func beginCommitAndRollbackAreStatements() throws {
        let home = CatalogHome()
        let outcomes = try home.sql("BEGIN; \(SQLFixture.api("a")); COMMIT; BEGIN; \(SQLFixture.api("b")); ROLLBACK")
        #expect(outcomes.count == 6)
        #expect(outcomes.allSatisfy { $0.isOK })
        #expect(try home.names() == ["a"])
    }
}

/// The region notice as the `catalog` program prints it.
@Suite struct RegionNoticeOutputTests {
    static let create = """
        CREATE API CONNECTION scf TYPE = CLOUD_FUNCTION PROVIDER = 'tencent' REGION = 'ap-nowhere-9'
            ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/lake' NAMESPACE = 'ns' CODE_BUCKET = 'lake-1250000000'
        """
    static let notice =
        "region 'ap-nowhere-9' is not in the list of known tencent regions; check the spelling (nearest known: ap-chengdu)"

    @Test func jsonOutputCarriesTheNotice() throws {
        let home = CatalogHome()
        let run = try home.run(["--format", "json", "-e", Self.create])
        #expect(run.status == 0)
        #expect(run.output == "{\"ok\": true, \"notices\": [\"\(Self.notice)\"]}\n")
        #expect(try home.describe("scf")["REGION"] == "ap-nowhere-9")
    }

    @Test func tableOutputPutsTheNoticeOnStandardError() throws {
        let home = CatalogHome()
        let run = try home.run(["-e", Self.create])
        #expect(run.status == 0)
        #expect(run.output == "OK\n")
        #expect(run.errorOutput.hasSuffix("NOTICE: \(Self.notice)\n"), "\(run.errorOutput)")
    }
}
