import CatalogStorage
import CatalogTestSupport
import Foundation
import Testing

/// Every error code of DESIGN.md §5, produced through the binary and read back from JSON output.
@Suite struct ErrorCodeTests {
    struct StatementCase: CustomTestStringConvertible, Sendable {
        let code: String
        let sql: String
        let fragment: String
        let line: Int?
        let column: Int?
        var testDescription: String { code }
    }

    static let apiRest = "REGION = 'us-east-1' ROLE_ARN = '\(SQLFixture.awsRole)' CODE_BUCKET = 'code-bucket'"

    static let statementCases: [StatementCase] = [
        StatementCase(
            code: "syntax_error", sql: "SHOW CONNECTIONS;\nDESC\n  TABLE x", fragment: "expected CONNECTION after DESC",
            line: 3, column: 3),
        StatementCase(
            code: "invalid_identifier",
            sql: "CREATE STORAGE CONNECTION `a-b` TYPE = S3 REGION = 'us-east-1' ROLE_ARN = '\(SQLFixture.awsRole)'",
            fragment: "may contain only ASCII letters, digits and underscores", line: 1, column: 27),
        StatementCase(
            code: "missing_property",
            sql:
                "CREATE API CONNECTION f TYPE = CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' CODE_BUCKET = 'code-bucket'",
            fragment: "require ROLE_ARN", line: 1, column: 1),
        StatementCase(
            code: "unknown_property",
            sql: "CREATE API CONNECTION f TYPE = CLOUD_FUNCTION PROVIDER = 'aws' \(apiRest)\n  NAMESPCE = 'x'",
            fragment: "did you mean NAMESPACE?", line: 2, column: 3),
        StatementCase(
            code: "duplicate_property",
            sql: "CREATE API CONNECTION f TYPE = CLOUD_FUNCTION PROVIDER = 'aws' PROVIDER = 'aws' \(apiRest)",
            fragment: "property PROVIDER is given more than once", line: 1, column: 64),
        StatementCase(
            code: "invalid_value",
            sql:
                "CREATE API CONNECTION f TYPE = CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'nowhere!' ROLE_ARN = '\(SQLFixture.awsRole)' CODE_BUCKET = 'code-bucket'",
            fragment: "REGION 'nowhere!' is not valid", line: 1, column: 73),
        StatementCase(
            code: "already_exists", sql: SQLFixture.api("existing"), fragment: "connection 'existing' already exists",
            line: 1, column: 23),
        StatementCase(
            code: "not_found", sql: "ALTER CONNECTION nope ENABLE", fragment: "connection 'nope' does not exist",
            line: 1, column: 18),
        StatementCase(
            code: "unsupported", sql: "CREATE STORAGE CONNECTION h TYPE = HDFS NAMENODE = 'nn:8020'",
            fragment: "connection type 'HDFS' is not supported", line: 1, column: 36),
    ]

    @Test(arguments: statementCases)
    func statementError(_ example: StatementCase) throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("existing"))
        let run = try home.run(["--format", "json", "-e", example.sql])
        #expect(run.status == 1)
        guard case .error(let code, let message, let line, let column) = try run.outcomes().last else {
            Issue.record("no error in \(run.output)")
            return
        }
        #expect(code == example.code)
        #expect(message.contains(example.fragment), "\(message)")
        #expect(line == example.line)
        #expect(column == example.column)

        // The table form says the same on stderr.
        let table = try home.run(["-e", example.sql])
        #expect(table.status == 1)
        let position = example.line.map { " at line \($0), column \(example.column ?? 0)" } ?? ""
        #expect(table.errorOutput.hasPrefix("ERROR [\(example.code)]\(position): "), "\(table.errorOutput)")
    }

    @Test func unknownPropertyWithoutSuggestionReadsAsASentence() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.oss("o"))
        let outcome = try home.attempt("ALTER CONNECTION o SET FOO = 'x'")
        guard case .error(let code, let message, _, _) = outcome else {
            Issue.record("expected an error, got \(outcome)")
            return
        }
        #expect(code == "unknown_property")
        #expect(!message.contains("connections Valid"), "\(message)")
    }

    @Test func showWhereOnAnUnknownColumnPointsAtTheColumn() throws {
        let home = CatalogHome()
        let outcome = try home.attempt("SHOW CONNECTIONS WHERE bogus = 'x'")
        guard case .error(let code, _, let line, let column) = outcome else {
            Issue.record("expected an error, got \(outcome)")
            return
        }
        #expect(code == "invalid_value")
        #expect(line == 1)
        #expect(column == 24)
    }

    // `conflict` needs two processes and a shell: TransactionTests.conflictingChangeFromAnotherProcess.

    @Test func wrongKey() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("x"))
        let other = home.directory.appending("other.key")
        #expect(
            try home.run(["init", "--path", home.directory.appending("second"), "--key-file", other], withPath: false)
                .status == 0)
        let run = try home.run(["--format", "json", "--key-file", other, "-e", "SHOW CONNECTIONS"])
        #expect(run.status == 1)
        guard case .error(let code, let message, nil, nil) = try run.outcome() else {
            Issue.record("expected an error without a position: \(run.output)")
            return
        }
        #expect(code == "wrong_key")
        #expect(message.contains("the master key does not match this catalog"))
        #expect(try home.names() == ["x"], "the right key still works")
    }

    @Test func wrongKeyFileThatDoesNotExistIsNotCreated() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("x"))
        let missing = home.directory.appending("missing.key")
        let run = try home.run(["--format", "json", "--key-file", missing, "-e", "SHOW CONNECTIONS"])
        #expect(run.status == 1)
        #expect(try run.outcome().errorCode != nil)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    /// Opens the catalog's LMDB environment in this process, runs `body` in a write, and lets it go.
    func tamper(with home: CatalogHome, _ body: (borrowing WriteTransaction, Environment) throws -> Void) throws {
        try {
            let environment = try Environment.open(
                at: home.path, options: Environment.Options(databases: ["meta", "connections", "names", "history"]))
            try environment.writeBlocking { transaction in try body(transaction, environment) }
        }()
    }

    @Test func catalogTooNew() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("x"))
        try tamper(with: home) { transaction, environment in
            try transaction.put([0, 0, 0, 99], for: RecordKey("schema_version"), in: environment.database("meta"))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: home.dataFile))
        let run = try home.run(["--format", "json", "-e", "SHOW CONNECTIONS"])
        #expect(run.status == 1)
        guard case .error(let code, let message, nil, nil) = try run.outcome() else {
            Issue.record("expected an error: \(run.output)")
            return
        }
        #expect(code == "catalog_too_new")
        #expect(message.contains("99"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.dataFile)) == before, "data.mdb is left as it was")
    }

    @Test func integrityError() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.oss("damaged"))
        try tamper(with: home) { transaction, environment in
            let connections = try environment.database("connections")
            var records: [(key: [UInt8], value: [UInt8])] = []
            try transaction.scan(connections, in: .all) { key, value in
                records.append((Array(key), Array(value)))
                return true
            }
            try #require(records.count == 1)
            // Garbage over the middle of the record, same length, leading encoding version kept (a newer
            // version byte would rightly be `catalog_too_new`).
            var damaged = records[0].value
            try #require(damaged.count > 40)
            for index in 10..<40 { damaged[index] = 0xA5 }
            try transaction.put(damaged, for: RecordKey(records[0].key), in: connections)
        }
        let outcome = try home.attempt("DESC CONNECTION damaged")
        guard case .error(let code, let message, _, _) = outcome else {
            Issue.record("expected an error, got \(outcome)")
            return
        }
        #expect(code == "integrity_error")
        #expect(message.contains("checksum mismatch"), "\(message)")
    }

    @Test func ioErrorWhenThePathIsUnderAFile() throws {
        let home = CatalogHome()
        let file = home.directory.appending("plain-file")
        try "not a directory".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try home.run(
            ["--format", "json", "--path", "\(file)/catalog", "-e", "SHOW CONNECTIONS"], withPath: false)
        #expect(run.status == 1)
        guard case .error(let code, let message, nil, nil) = try run.outcome() else {
            Issue.record("expected an error: \(run.output)")
            return
        }
        #expect(code == "io_error")
        #expect(message.contains("Not a directory"), "\(message)")
    }
}
