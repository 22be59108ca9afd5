import CatalogTestSupport
import Foundation
import Testing

/// What goes to stdout and what to stderr, per format (docs/cli.md, "Where things go").
@Suite struct StreamTests {
    /// A script with every kind of outcome: success, a notice, a result, then a failure.
    static let script = [
        SQLFixture.api("fn"),
        SQLFixture.api("fn").replacingOccurrences(of: "CONNECTION fn", with: "CONNECTION IF NOT EXISTS fn"),
        "SHOW CONNECTIONS",
        "DESC CONNECTION nope",
    ].joined(separator: ";\n")

    func preparedHome() throws -> CatalogHome {
        let home = CatalogHome()
        #expect(try home.run(["init"]).status == 0)
        return home
    }

    @Test func tableSendsResultsAndOKToStdoutAndMessagesToStderr() throws {
        let home = try preparedHome()
        let run = try home.run(["-e", Self.script])
        #expect(run.status == 1)
        let out = run.output.split(separator: "\n").map(String.init)
        #expect(out.filter { $0 == "OK" }.count == 2)
        #expect(out.contains(" name | category | type           | enabled | created_time"))
        #expect(out.last == "(1 row)")
        #expect(!run.output.contains("NOTICE") && !run.output.contains("ERROR"))
        let err = run.errorOutput.split(separator: "\n").map(String.init)
        #expect(
            err == [
                "NOTICE: connection 'fn' already exists; nothing changed",
                "ERROR [not_found] at line 4, column 17: connection 'nope' does not exist; SHOW CONNECTIONS lists the ones that do",
                "LINE 4: DESC CONNECTION nope",
                String(repeating: " ", count: 8 + 16) + "^",
            ])
    }

    @Test func jsonWritesExactlyOneObjectPerStatementOnStdout() throws {
        let home = try preparedHome()
        let run = try home.run(["--format", "json", "-e", Self.script])
        #expect(run.status == 1)
        #expect(run.errorOutput.isEmpty, "\(run.errorOutput)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5 && lines.last == "", "four lines, each ending in a newline")
        for line in lines.dropLast() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            #expect(object is [String: Any])
        }
        let outcomes = try run.outcomes()
        #expect(outcomes[0] == .ok(notices: []))
        #expect(outcomes[1] == .ok(notices: ["connection 'fn' already exists; nothing changed"]))
        #expect(outcomes[2].resultSet?.columns == ["name", "category", "type", "enabled", "created_time"])
        #expect(outcomes[2].resultSet?.rows.count == 1)
        #expect(
            outcomes[3]
                == .error(
                    code: "not_found",
                    message: "connection 'nope' does not exist; SHOW CONNECTIONS lists the ones that do",
                    line: 4, column: 17))
    }

    @Test func jsonErrorOfTheCatalogItselfHasNullPosition() throws {
        let home = try preparedHome()
        let other = home.directory.appending("other.key")
        let run = try home.run(["--format", "json", "--key-file", other, "-e", "SHOW CONNECTIONS"])
        #expect(run.status == 1)
        guard case .error(let code, _, let line, let column) = try run.outcome() else {
            Issue.record("expected an error")
            return
        }
        #expect(code == "wrong_key")
        #expect(line == nil && column == nil)
    }

    @Test func csvKeepsStdoutForDataOnly() throws {
        let home = try preparedHome()
        let run = try home.run(["--format", "csv", "-e", Self.script])
        #expect(run.status == 1)
        let rows = run.output.components(separatedBy: "\r\n")
        #expect(rows.count == 3 && rows.last == "", "a header and one row, each ending in CR LF: \(run.output)")
        #expect(rows[0] == "name,category,type,enabled,created_time")
        #expect(rows[1].hasPrefix("fn,API,CLOUD_FUNCTION,ENABLED,"))
        #expect(
            run.errorOutput.split(separator: "\n").map(String.init) == [
                "NOTICE: connection 'fn' already exists; nothing changed",
                "ERROR [not_found] at line 4, column 17: connection 'nope' does not exist; SHOW CONNECTIONS lists the ones that do",
            ])
    }

    @Test(arguments: ["table", "json", "csv"])
    func firstUseNoteGoesToStderrInEveryFormat(format: String) throws {
        let home = CatalogHome()
        let run = try home.run(["--format", format, "-e", "SHOW CONNECTIONS"])
        #expect(run.status == 0)
        #expect(run.errorOutput.contains("created a new catalog"))
        #expect(!run.output.contains("created a new catalog"))
    }
}
