import CatalogTestSupport
import Foundation
import Testing

/// How statements reach the program (-e, -f, stdin) and what its exit status says.
@Suite struct InvocationTests {
    enum Source: String, CaseIterable, CustomTestStringConvertible {
        case execute, file, standardInput
        var testDescription: String { rawValue }
    }

    func run(_ sql: String, from source: Source, in home: CatalogHome) throws -> CatalogRun {
        switch source {
        case .execute:
            return try home.run(["--format", "json", "-e", sql])
        case .file:
            let file = home.directory.appending("script-\(UUID().uuidString).sql")
            try sql.write(toFile: file, atomically: true, encoding: .utf8)
            return try home.run(["--format", "json", "-f", file])
        case .standardInput:
            return try home.run(["--format", "json"], input: sql)
        }
    }

    @Test(arguments: Source.allCases)
    func statementsRunAndExitZero(from source: Source) throws {
        let home = CatalogHome()
        let run = try run(
            "\(SQLFixture.api("first"));\n\(SQLFixture.s3("second"));\nSHOW CONNECTIONS;", from: source, in: home)
        #expect(run.status == 0, "\(run.errorOutput)")
        let outcomes = try run.outcomes()
        #expect(outcomes.count == 3)
        #expect(outcomes.prefix(2).allSatisfy { $0.isOK })
        #expect(outcomes.last?.resultSet?.rows.map { $0[0] } == ["first", "second"])
    }

    @Test(arguments: Source.allCases)
    func aFailingStatementExitsOneAndKeepsWhatCameBefore(from source: Source) throws {
        let home = CatalogHome()
        let run = try run(
            "\(SQLFixture.api("kept"));\nDROP CONNECTION missing;\n\(SQLFixture.api("never"));", from: source, in: home)
        #expect(run.status == 1)
        let outcomes = try run.outcomes()
        #expect(outcomes.count == 2, "execution stops at the first failure")
        #expect(outcomes.first?.isOK == true)
        #expect(outcomes.last?.errorCode == "not_found")
        // A second run sees the statement before the failure committed, and nothing after it.
        #expect(try home.names() == ["kept"])
    }

    @Test func emptyStandardInputRunsNothing() throws {
        let home = CatalogHome()
        let run = try home.run(["--format", "json"], input: "")
        #expect(run.status == 0)
        #expect(run.output.isEmpty)
    }

    static let badUsage: [[String]] = [
        ["--bogus"],
        ["-e", "SHOW CONNECTIONS", "-f", "/dev/null"],
        ["settings", "bogus"],
        ["settings", "set", "only-a-name"],
        ["--format", "xml", "-e", "SHOW CONNECTIONS"],
        ["-e"],
        ["stats", "--bogus"],
        ["-f", "/nonexistent/script.sql"],
    ]

    @Test(arguments: badUsage)
    func badUsageExitsTwo(arguments: [String]) throws {
        let home = CatalogHome()
        let run = try home.run(arguments)
        #expect(run.status == 2, "\(run.errorOutput)")
        #expect(run.output.isEmpty)
        #expect(run.errorOutput.contains("Error:") || run.errorOutput.contains("Usage:"), "\(run.errorOutput)")
    }

    @Test func rekeyOntoAnExistingFileIsBadUsage() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("x"))
        let run = try home.run(["rekey", "--new-key-file", home.keyFile])
        #expect(run.status == 2)
        #expect(run.errorOutput.contains("already exists"))
    }
}

/// First use: a catalog and its key file appear where `--path` or `CATALOG_PATH` says, and the program says so once.
@Suite struct FirstUseTests {
    @Test func firstRunCreatesTheCatalogAndKeyFileAndSaysWhere() throws {
        let home = CatalogHome()
        #expect(!FileManager.default.fileExists(atPath: home.path))
        let first = try home.run(["-e", "SHOW CONNECTIONS"])
        #expect(first.status == 0)
        #expect(try home.mode(of: home.path) == 0o700)
        #expect(try home.mode(of: home.dataFile) == 0o600)
        #expect(try home.mode(of: home.keyFile) == 0o600)
        #expect(first.errorOutput.contains("created a new catalog at \(home.path)"))
        #expect(first.errorOutput.contains(home.keyFile))
        #expect(!first.output.contains("created a new"), "the note goes to stderr only")

        let second = try home.run(["-e", "SHOW CONNECTIONS"])
        #expect(second.status == 0)
        #expect(second.errorOutput.isEmpty, "\(second.errorOutput)")
    }

    @Test func catalogPathComesFromTheEnvironment() throws {
        let home = CatalogHome()
        let environment = ["CATALOG_PATH": home.path]
        let first = try home.run(
            ["--format", "json", "-e", SQLFixture.api("via_env")], withPath: false, extraEnvironment: environment)
        #expect(first.status == 0)
        #expect(first.errorOutput.contains("created a new catalog at \(home.path)"))
        #expect(FileManager.default.fileExists(atPath: home.dataFile))
        #expect(try home.mode(of: home.keyFile) == 0o600)
        let second = try home.run(
            ["--format", "json", "-e", "SHOW CONNECTIONS"], withPath: false, extraEnvironment: environment)
        #expect(second.errorOutput.isEmpty)
        #expect(try second.outcome().resultSet?.rows.map { $0[0] } == ["via_env"])
        // `--path` wins over the environment.
        #expect(try home.names() == ["via_env"])
    }

    @Test func initCreatesOnceAndReportsReady() throws {
        let home = CatalogHome()
        let first = try home.run(["init", "--format", "json"])
        #expect(first.status == 0)
        #expect(first.errorOutput.contains("created a new catalog"))
        #expect(try first.outcome().notices.first?.contains("catalog ready at") == true)
        let second = try home.run(["init", "--format", "json"])
        #expect(second.status == 0)
        #expect(second.errorOutput.isEmpty)
    }
}
