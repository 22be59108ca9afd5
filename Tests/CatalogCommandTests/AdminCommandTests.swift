import CatalogTestSupport
import Foundation
import Testing

/// `settings`, `stats`, `rotate-key` and `rekey`.
@Suite struct AdminCommandTests {
    func settings(_ home: CatalogHome) throws -> [[String?]] {
        let run = try home.run(["settings", "list", "--format", "json"])
        #expect(run.status == 0)
        let result = try #require(try run.outcome().resultSet)
        #expect(result.columns == ["name", "value"])
        return result.rows
    }

    @Test func settingsSetListUnset() throws {
        let home = CatalogHome()
        // `settings` needs an existing catalog: only `init` and `sql` create one.
        #expect(try home.run(["init"]).status == 0)
        #expect(try settings(home).isEmpty)
        let set = try home.run(["settings", "set", "trust.aws.principal", "arn:aws:iam::111122223333:root"])
        #expect(set.status == 0)
        #expect(set.output == "OK\n")
        #expect(
            try home.run(["settings", "--format", "json", "set", "trust.aliyun.principal", "acs:ram::1:root"]).output
                == "{\"ok\": true}\n")
        #expect(
            try settings(home) == [
                ["trust.aliyun.principal", "acs:ram::1:root"],
                ["trust.aws.principal", "arn:aws:iam::111122223333:root"],
            ])
        // `settings` alone lists.
        let bare = try home.run(["settings", "--format", "csv"])
        #expect(bare.output.hasPrefix("name,value\r\n"))
        #expect(try home.run(["settings", "unset", "trust.aliyun.principal"]).status == 0)
        #expect(try settings(home) == [["trust.aws.principal", "arn:aws:iam::111122223333:root"]])
    }

    /// A mistyped setting name is refused with `invalid_value` naming the nearest known setting; nothing is stored.
    @Test func anUnknownSettingIsRefusedNamingTheNearestKnownOne() throws {
        let home = CatalogHome()
        #expect(try home.run(["init"]).status == 0)
        let typo = try home.run([
            "settings", "--format", "json", "set", "trust.tencent.principle", "qcs::cam::uin/1:root",
        ])
        #expect(typo.status == 1)
        guard case .error(let code, let message, _, _) = try typo.outcome() else {
            Issue.record("expected an error: \(typo.output)")
            return
        }
        #expect(code == "invalid_value")
        #expect(message.contains("'trust.tencent.principle' is not a catalog setting"), "\(message)")
        #expect(message.contains("did you mean 'trust.tencent.principal'?"), "\(message)")
        let far = try home.run(["settings", "--format", "json", "set", "colour", "blue"])
        #expect(try far.outcome().errorCode == "invalid_value")
        #expect(
            far.output.contains("known settings: trust.aliyun.principal, trust.tencent.principal, trust.aws.principal"))
        #expect(try home.run(["settings", "unset", "colour"]).status == 1)
        #expect(try settings(home).isEmpty, "nothing was stored")
        for provider in ["aws", "aliyun", "tencent"] {
            #expect(try home.run(["settings", "set", "trust.\(provider).principal", "p"]).status == 0)
        }
    }

    @Test func statsCountsConnections() throws {
        let home = CatalogHome()
        try home.sql(
            [SQLFixture.api("a"), SQLFixture.oss("b"), SQLFixture.cos("c"), "DROP CONNECTION c"].joined(separator: ";"))
        let run = try home.run(["stats", "--format", "json"])
        #expect(run.status == 0)
        let result = try #require(try run.outcome().resultSet)
        #expect(result.columns == ["stat", "value"])
        var stats: [String: String] = [:]
        for row in result.rows { stats[row[0] ?? ""] = row[1] ?? "" }
        #expect(stats["connections"] == "2")
        #expect(stats["path"] == home.path)
        #expect(stats["data_keys"] == "1")
        #expect(stats["storage.entries_in_connections"] == "2")
    }

    func describeAll(_ home: CatalogHome, keyFile: String? = nil) throws -> String {
        let run = try home.run(
            ["--format", "json"] + (keyFile.map { ["--key-file", $0] } ?? [])
                + ["-e", "DESC CONNECTION EXTENDED a; DESC CONNECTION b; DESC CONNECTION c; DESC CONNECTION d"])
        #expect(run.status == 0, "\(run.output)")
        return run.output
    }

    func fourConnections(_ home: CatalogHome) throws {
        try home.sql(
            [SQLFixture.api("a"), SQLFixture.oss("b"), SQLFixture.cos("c"), SQLFixture.s3("d")].joined(separator: ";"))
    }

    @Test func rotateKeyKeepsEveryDescriptionAndPrintsNoProgressOffATerminal() throws {
        let home = CatalogHome()
        try fourConnections(home)
        let before = try describeAll(home)
        let run = try home.run(["rotate-key", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.errorOutput.isEmpty, "no progress when stderr is not a terminal: \(run.errorOutput)")
        #expect(try run.outcome().notices.first?.contains("rotated to data key 2") == true)
        #expect(try describeAll(home) == before, "DESC output, external IDs included, is unchanged")
        let stats = try home.run(["stats", "--format", "csv"])
        #expect(
            stats.output.contains("data_keys,\"1,2\"\r\n") || stats.output.contains("data_keys,1,2"), "\(stats.output)")
    }

    /// With its default key file (`<path>.key`), rekey replaces that file too: the next plain command opens the
    /// catalog with the same external IDs; the old key stays beside it as `<path>.key.old` and no longer opens it.
    @Test func rekeyMovesTheCatalogToTheNewKeyFile() throws {
        let home = CatalogHome()
        try fourConnections(home)
        let before = try describeAll(home)
        let externalID = try home.describe("a")["EXTERNAL_ID"]
        let newKey = home.directory.appending("new.key")
        let run = try home.run(["rekey", "--format", "json", "--new-key-file", newKey])
        #expect(run.status == 0, "\(run.output)\(run.errorOutput)")
        let notices = try run.outcome().notices
        #expect(notices.first?.contains(newKey) == true)
        #expect(notices.contains { $0.contains("\(home.keyFile).old") }, "\(notices)")
        #expect(try home.mode(of: newKey) == 0o600)
        #expect(try home.mode(of: home.keyFile) == 0o600)
        #expect(try home.mode(of: "\(home.keyFile).old") == 0o600)

        // A plain command (the default key file) works and shows the same external ID.
        let plain = try home.run(["--format", "json", "-e", "DESC CONNECTION a"])
        #expect(plain.status == 0, "\(plain.output)\(plain.errorOutput)")
        #expect(try home.describe("a")["EXTERNAL_ID"] == externalID)
        #expect(try describeAll(home) == before)
        #expect(try describeAll(home, keyFile: newKey) == before)
        let old = try home.run(["--format", "json", "--key-file", "\(home.keyFile).old", "-e", "SHOW CONNECTIONS"])
        #expect(old.status == 1)
        #expect(try old.outcome().errorCode == "wrong_key")
        // Secrets still open under the new key: an ALTER that re-seals works and DESC still masks.
        let alter = try home.run(["--format", "json", "-e", "ALTER CONNECTION b SET ACCESS_KEY = 'fresh'"])
        #expect(alter.status == 0)
        // A second rekey would overwrite the kept old key: refused until it is moved away, nothing changed.
        let again = try home.run(["rekey", "--format", "json", "--new-key-file", home.directory.appending("third.key")])
        #expect(again.status == 1)
        #expect(try again.outcome().errorCode == "already_exists")
        #expect(!FileManager.default.fileExists(atPath: home.directory.appending("third.key")))
        #expect(try home.describe("a")["EXTERNAL_ID"] == externalID)
    }

    /// With an explicit key file, rekey leaves that file alone: it keeps the old key, which no longer opens.
    @Test func rekeyWithAnExplicitKeyFileLeavesThatFileAlone() throws {
        let home = CatalogHome()
        let explicit = home.directory.appending("explicit.key")
        let create = try home.run(["--format", "json", "--key-file", explicit, "-e", SQLFixture.api("a")])
        #expect(create.status == 0, "\(create.errorOutput)")
        let newKey = home.directory.appending("new.key")
        let before = try Data(contentsOf: URL(fileURLWithPath: explicit))
        let run = try home.run(["rekey", "--format", "json", "--key-file", explicit, "--new-key-file", newKey])
        #expect(run.status == 0, "\(run.output)\(run.errorOutput)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: explicit)) == before)
        #expect(!FileManager.default.fileExists(atPath: "\(explicit).old"))
        let old = try home.run(["--format", "json", "--key-file", explicit, "-e", "SHOW CONNECTIONS"])
        #expect(try old.outcome().errorCode == "wrong_key")
        #expect(try home.run(["--format", "json", "--key-file", newKey, "-e", "DESC CONNECTION a"]).status == 0)
    }
}
