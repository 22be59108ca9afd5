import CatalogSealing
import CatalogTestSupport
import Foundation
import Testing

/// The SQL behaviour of the built `catalog` binary on a catalog in a real 3-member etcd cluster
/// (`--store etcd://…`): every statement form and every error code a statement can reach there, as on LMDB.
@Suite(.commandEtcdCluster)
struct EtcdStatementTests {
    @Test func createsInBothPropertySyntaxesAndDescribes() throws {
        let etcd = EtcdHome("create")
        let first = try etcd.run(["--format", "json", "-e", SQLFixture.api("fn", comment: "Sales")])
        #expect(first.status == 0, "\(first.output) \(first.errorOutput)")
        #expect(first.errorOutput.contains("created a new catalog at etcd://"), "\(first.errorOutput)")
        #expect(FileManager.default.fileExists(atPath: etcd.keyFile))
        try etcd.sql(
            """
            CREATE API CONNECTION fn2 TYPE CLOUD_FUNCTION WITH PROPERTIES (
                'cloud_function.provider' = 'tencent', 'cloud_function.region' = 'ap-guangzhou',
                'cloud_function.role_arn' = 'qcs::cam::uin/100000000001:roleName/lake',
                'cloud_function.namespace' = 'ns1', 'cloud_function.code_bucket' = 'code-1250000000')
            COMMENT 'via properties'
            """)
        try etcd.sql(
            [SQLFixture.oss("o"), SQLFixture.cos("c"), SQLFixture.s3("s") + " COMMENTS = 'both spellings'"].joined(
                separator: ";"))

        let desc = try etcd.describe("fn", member: 2)
        #expect(desc["name"] == "fn" && desc["category"] == "API" && desc["type"] == "CLOUD_FUNCTION")
        #expect(desc["PROVIDER"] == "aws" && desc["comment"] == "Sales" && desc["version"] == "1")
        let externalID = try #require(desc["EXTERNAL_ID"] ?? nil)
        #expect(externalID.count == 16)
        let fn2 = try etcd.describe("fn2", member: 1)
        #expect(fn2["PROVIDER"] == "tencent" && fn2["NAMESPACE"] == "ns1" && fn2["comment"] == "via properties")
        #expect(try etcd.describe("s")["comment"] == "both spellings")
        let oss = try etcd.describe("o")
        #expect(oss["ACCESS_KEY"] != "oss-secret-value", "a secret is never shown")

        let extended = try etcd.describe("fn", extended: true)
        let policy = try #require(extended["trust_policy"] ?? nil)
        #expect(policy.contains(externalID))
        let describe = try #require(try etcd.sql("DESCRIBE CONNECTION fn").first?.resultSet)
        #expect(describe.columns == ["info_name", "info_value"])

        let again = try etcd.sql(
            SQLFixture.api("fn").replacingOccurrences(of: "CONNECTION fn", with: "CONNECTION IF NOT EXISTS fn"))
        #expect(again.first?.notices.isEmpty == false, "IF NOT EXISTS on an existing connection gives a notice")
        #expect(try etcd.attempt(SQLFixture.api("fn")).errorCode == "already_exists")
    }

    @Test func showFilters() throws {
        let etcd = EtcdHome("show")
        try etcd.sql(
            [
                SQLFixture.s3("s3_b"), SQLFixture.api("api_b"), SQLFixture.oss("oss_a"), SQLFixture.cos("cos_c"),
                SQLFixture.api("api_a"), "ALTER CONNECTION oss_a DISABLE",
            ].joined(separator: ";"))
        for (statement, expected) in StatementFormTests.showCases {
            let result = try #require(try etcd.sql(statement, member: nil).first?.resultSet)
            #expect(result.columns == ["name", "category", "type", "enabled", "created_time"])
            #expect(result.rows.map { $0[0] } == expected, "\(statement)")
        }
    }

    @Test func everyAlterFormDropAndTransactions() throws {
        let etcd = EtcdHome("alter")
        try etcd.sql(SQLFixture.api("fn") + ";" + SQLFixture.oss("o"))
        let externalID = try etcd.describe("fn")["EXTERNAL_ID"] ?? nil
        try etcd.sql(
            """
            ALTER CONNECTION fn SET REGION = 'us-west-2', NAMESPACE = 'ns';
            ALTER CONNECTION fn UNSET NAMESPACE;
            ALTER CONNECTION fn SET COMMENT = 'commented';
            ALTER CONNECTION fn DISABLE
            """)
        var desc = try etcd.describe("fn", member: 1)
        #expect(desc["REGION"] == "us-west-2" && desc["NAMESPACE"] == "default" && desc["comment"] == "commented")
        #expect(desc["enabled"] == "DISABLED" && desc["version"] == "5" && desc["EXTERNAL_ID"] == externalID)
        try etcd.sql("ALTER CONNECTION fn ENABLE; ALTER CONNECTION fn ROTATE EXTERNAL_ID")
        desc = try etcd.describe("fn")
        #expect(desc["enabled"] == "ENABLED" && desc["EXTERNAL_ID"] != externalID)
        let rotated = desc["EXTERNAL_ID"] ?? nil
        try etcd.sql("ALTER CONNECTION fn RENAME TO renamed")
        #expect(try etcd.names() == ["o", "renamed"])
        #expect(try etcd.describe("renamed")["EXTERNAL_ID"] == rotated)
        try etcd.sql("ALTER CONNECTION o SET ACCESS_KEY = 'another-secret'")
        #expect(
            try etcd.sql("ALTER CONNECTION IF EXISTS gone ENABLE") == [
                .ok(notices: ["connection 'gone' does not exist; nothing changed"])
            ])

        #expect(try etcd.sql("DROP CONNECTION o") == [.ok(notices: [])])
        #expect(
            try etcd.sql("DROP CONNECTION IF EXISTS o") == [
                .ok(notices: ["connection 'o' does not exist; nothing dropped"])
            ])
        #expect(try etcd.names() == ["renamed"])

        let outcomes = try etcd.sql("BEGIN; \(SQLFixture.api("a")); COMMIT; BEGIN; \(SQLFixture.api("b")); ROLLBACK")
        #expect(outcomes.count == 6 && outcomes.allSatisfy { $0.errorCode == nil })
        #expect(try etcd.names(member: 2) == ["a", "renamed"])
    }

    @Test(arguments: ErrorCodeTests.statementCases)
    func statementError(_ example: ErrorCodeTests.StatementCase) throws {
        let etcd = EtcdHome("error")
        try etcd.sql(SQLFixture.api("existing"))
        let run = try etcd.run(["--format", "json", "-e", example.sql])
        #expect(run.status == 1)
        guard case .error(let code, let message, let line, let column) = try run.outcomes().last else {
            Issue.record("no error outcome: \(run.output)")
            return
        }
        #expect(code == example.code)
        #expect(message.contains(example.fragment), "\(message)")
        #expect(line == example.line && column == example.column)
    }

    @Test func conflictBetweenTwoProcesses() throws {
        let etcd = EtcdHome("conflict")
        try etcd.sql(SQLFixture.api("x", comment: "original"))
        let inside = try etcd.launch(member: 0)
        inside.send("BEGIN;\nDESC CONNECTION x;\n\(SQLFixture.api("mine"));\n")
        #expect(try inside.waitForOutcomes(3).count == 3)
        #expect(try etcd.sql("ALTER CONNECTION x SET COMMENT = 'from b'", member: 1) == [.ok(notices: [])])
        inside.send("COMMIT;\n")
        let run = try inside.finish()
        let last = try #require(try run.outcomes().last)
        #expect(last.errorCode == "conflict", "\(last)")
        #expect(try !etcd.names().contains("mine"))
    }

    @Test func wrongKeyAndMissingKeyAreRefused() throws {
        let etcd = EtcdHome("key")
        try etcd.sql(SQLFixture.api("fn"))
        let otherKey = etcd.home.directory.appending("other.key")
        _ = try MasterKeySource.keyFile(path: otherKey).resolve()
        let wrong = try etcd.run(["--format", "json", "-e", "SHOW CONNECTIONS"], keyFile: otherKey)
        #expect(try wrong.outcome().errorCode == "wrong_key", "\(wrong.output)")
        let missingKey = etcd.home.directory.appending("missing.key")
        let missing = try etcd.run(["--format", "json", "-e", "SHOW CONNECTIONS"], keyFile: missingKey)
        #expect(try missing.outcome().errorCode == "wrong_key", "\(missing.output)")
        #expect(!FileManager.default.fileExists(atPath: missingKey), "no key is made up for an existing catalog")
    }

    @Test func lmdbOnlyCommandsAreUnsupportedAndOthersNeedACatalog() throws {
        let etcd = EtcdHome("commands")
        let stats = try etcd.run(["stats", "--format", "json"])
        #expect(stats.status == 1)
        #expect(try stats.outcome().errorCode == "not_found", "\(stats.output)")
        try etcd.sql(SQLFixture.api("fn"))
        let counted = try #require(try etcd.run(["stats", "--format", "json"]).outcome().resultSet)
        #expect(counted.rows.contains(["connections", "1"]), "\(counted.rows)")
        #expect(counted.rows.contains { $0[0] == "storage.store" && $0[1]?.hasPrefix("etcd://") == true })
        let settings = try etcd.run(["settings", "set", "trust.aws.principal", "arn:aws:iam::111122223333:root"])
        #expect(settings.status == 0, "\(settings.output) \(settings.errorOutput)")
        let policy = try etcd.describe("fn", extended: true)["trust_policy"] ?? nil
        #expect(policy?.contains("111122223333") == true)
        for command in [["check"], ["salvage", "--to", etcd.home.directory.appending("salvaged")]] {
            let run = try etcd.run(command + ["--format", "json"])
            #expect(run.status == 1, "\(command)")
            #expect(try run.outcome().errorCode == "unsupported", "\(command): \(run.output) \(run.errorOutput)")
        }
        let bad = try etcd.home.run(["--store", "http://127.0.0.1:1", "-e", "SHOW CONNECTIONS"], withPath: false)
        #expect(bad.status == 2 && bad.errorOutput.contains("etcd://host:port"), "\(bad.errorOutput)")
    }
}
