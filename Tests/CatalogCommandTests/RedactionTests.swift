import CatalogTestSupport
import Foundation
import Testing

/// A planted secret, given as OSS ACCESS_KEY, COS SECRET_KEY and S3 SECRET_ACCESS_KEY through every statement
/// that carries it and every way such a statement fails, never comes out: not on stdout or stderr in any
/// format, not in the shell's history file, not in data.mdb.
@Suite struct RedactionTests {
    /// Statements carrying `secret`; the first ones succeed, the rest fail in different ways.
    static func statements(with secret: String) -> [(sql: String, fails: Bool)] {
        let oss = "ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com' ACCESS_ID = 'LTAI5tABCDEFGH'"
        let cos = "REGION = 'ap-guangzhou' APP_ID = '1250000000' ACCESS_KEY = 'AKIDabcdefgh'"
        let s3 = "REGION = 'us-east-1' ACCESS_KEY_ID = 'AKIAABCDEFGH'"
        return [
            // Every form that carries it, succeeding.
            (SQLFixture.oss("o", secret: secret), false),
            (SQLFixture.cos("c", secret: secret), false),
            (SQLFixture.s3("s", secret: secret), false),
            (
                "CREATE STORAGE CONNECTION o2 TYPE = OSS WITH PROPERTIES ('ENDPOINT' = 'oss-cn-hangzhou.aliyuncs.com', "
                    + "'ACCESS_ID' = 'LTAI5tABCDEFGH', 'ACCESS_KEY' = '\(secret)')", false
            ),
            (
                "CREATE STORAGE CONNECTION s2 TYPE = S3 REGION = 'us-east-1' ACCESS_KEY = 'AKIAABCDEFGH' SECRET_KEY = '\(secret)'",
                false
            ),
            ("CREATE STORAGE CONNECTION IF NOT EXISTS o TYPE = OSS \(oss) ACCESS_KEY = '\(secret)'", false),
            ("ALTER CONNECTION o SET ACCESS_KEY = '\(secret)'", false),
            ("ALTER CONNECTION c SET SECRET_KEY = '\(secret)'", false),
            ("ALTER CONNECTION s SET SECRET_ACCESS_KEY = \"\(secret)\"", false),
            // Failures.
            ("CREATE STORAGE CONNECTION o TYPE = OSS \(oss) ACCESS_KEY = '\(secret)'", true),  // already exists
            ("CREATE STORAGE CONNECTION f1 TYPE = OSS \(oss) ACCESS_KEY = '\(secret)' ACCES_ID = 'x'", true),
            ("CREATE STORAGE CONNECTION f2 TYPE = COS \(cos) SECRET_KEY = '\(secret)' SECRET_KEY = '\(secret)'", true),
            (
                "CREATE STORAGE CONNECTION f3 TYPE = S3 \(s3) SECRET_ACCESS_KEY = '\(secret)' SECRET_KEY = '\(secret)'",
                true
            ),
            (
                "CREATE STORAGE CONNECTION f4 TYPE = OSS ENDPOINT = 'not an endpoint!' ACCESS_ID = 'LTAI5tABCDEFGH' ACCESS_KEY = '\(secret)'",
                true
            ),
            (
                "CREATE STORAGE CONNECTION f5 TYPE = S3 REGION = 'nowhere!' ACCESS_KEY_ID = 'AKIAABCDEFGH' SECRET_ACCESS_KEY = '\(secret)'",
                true
            ),
            // A syntax error after the secret.
            ("CREATE STORAGE CONNECTION f6 TYPE = COS \(cos) SECRET_KEY = '\(secret)' COMMENT", true),
            ("ALTER CONNECTION o SET ACCESS_KEY = '\(secret)', BOGUS = 'x'", true),
            ("ALTER CONNECTION nope SET SECRET_KEY = '\(secret)'", true),
            ("ALTER CONNECTION s SET SECRET_ACCESS_KEY = '\(secret)', REGION = 'nowhere!'", true),
            // An unquoted secret.
            ("ALTER CONNECTION o SET ACCESS_KEY = \(secret.replacingOccurrences(of: "-", with: "_"))", true),
            // Misspelled secret keys: refused as unknown, and their values are hidden all the same.
            ("CREATE STORAGE CONNECTION f9 TYPE = OSS \(oss) ACCESSKEY = '\(secret)'", true),
            ("CREATE STORAGE CONNECTION f10 TYPE = OSS \(oss) ACCESS_KY = '\(secret)'", true),
            ("CREATE STORAGE CONNECTION f11 TYPE = S3 \(s3) SECRET_ACCES_KEY = '\(secret)'", true),
            ("ALTER CONNECTION c SET SECRT_KEY = '\(secret)'", true),
            ("CREATE STORAGE CONNECTION f12 TYPE = COS \(cos) SECRET_KEY = 'x' WHATEVER = '\(secret)'", true),
            ("CREATE STORAGE CONNECTION f7 TYPE = OSS \(oss) ACCESS_KEY = '\(secret)", true),  // unterminated
            // Unterminated.
            ("CREATE STORAGE CONNECTION f8 TYPE = COS \(cos) SECRET_KEY = '\(secret)\nmore text", true),
        ]
    }

    @Test(arguments: ["table", "json", "csv"])
    func secretNeverComesOut(format: String) throws {
        let home = CatalogHome()
        let secret = PlantedSecret()
        // The unquoted form spells the secret with an underscore; scan for that spelling too.
        let underscored = secret.value.replacingOccurrences(of: "-", with: "_")
        let scanner = SecretScanner(secret)
        func leaks(_ text: String) -> Bool { !scanner.findings(in: text).isEmpty || text.contains(underscored) }
        for (sql, fails) in Self.statements(with: secret.value) {
            let run = try home.run(["--format", format, "-e", sql])
            #expect(run.status == (fails ? 1 : 0), "\(run.errorOutput)")
            #expect(!leaks(run.output), "stdout leaks the secret for: \(sql.prefix(60))")
            #expect(!leaks(run.errorOutput), "stderr leaks the secret for: \(sql.prefix(60))")
            // The same through -f and stdin.
            let file = home.directory.appending("statement.sql")
            try sql.write(toFile: file, atomically: true, encoding: .utf8)
            let viaFile = try home.run(["--format", format, "-f", file])
            #expect(!leaks(viaFile.output + viaFile.errorOutput))
            let viaInput = try home.run(["--format", format], input: sql)
            #expect(!leaks(viaInput.output + viaInput.errorOutput))
        }
        let describe = try home.run([
            "--format", format, "-e",
            "DESC CONNECTION EXTENDED o; DESC CONNECTION c; DESC CONNECTION s; SHOW CONNECTIONS",
        ])
        #expect(describe.status == 0)
        #expect(!leaks(describe.output + describe.errorOutput))
        #expect(try scanner.findings(inDirectory: home.path).isEmpty, "data.mdb holds the secret in the clear")
        #expect(!FileManager.default.fileExists(atPath: home.historyFile), "no history outside the shell")
    }

    @Test func shellHistoryHoldsOnlyRedactedStatements() throws {
        try #require(ShellSession.isAvailable, "needs util-linux script")
        let home = CatalogHome()
        let secret = PlantedSecret()
        let scanner = SecretScanner(secret)
        let shell = try ShellSession(home)
        // One statement per line, so the shell runs each on its own; the unterminated ones would swallow the rest.
        let statements = Self.statements(with: secret.value).filter { !$0.sql.contains("\(secret.value)\n") }
            .filter { !$0.sql.hasSuffix("'\(secret.value)") }
        for (sql, fails) in statements {
            let outcome = try shell.send(sql + ";")
            #expect((outcome.errorCode != nil) == fails, "\(sql.prefix(60)): \(outcome)")
        }
        try shell.quit()
        #expect(scanner.findings(in: shell.output).isEmpty, "the shell printed the secret")

        let history = try String(contentsOfFile: home.historyFile, encoding: .utf8)
        #expect(try home.mode(of: home.historyFile) == 0o600)
        #expect(scanner.findings(in: history).isEmpty, "the history file holds the secret")
        #expect(!history.contains(secret.value.replacingOccurrences(of: "-", with: "_")))
        #expect(history.contains("ACCESS_KEY = '<redacted>'"), "\(history)")
        #expect(history.contains("SECRET_KEY = '<redacted>'"))
        #expect(history.contains("SECRET_ACCESS_KEY = '<redacted>'"))
        #expect(history.contains("ALTER CONNECTION o SET ACCESS_KEY = '<redacted>'"))
        #expect(try scanner.findings(inDirectory: home.path).isEmpty)
    }
}
