import CatalogTestSupport
import Foundation
import Testing

/// The command line a psql or sqlite3 user expects: `--version`, a `--help` that shows the global options,
/// options before the subcommand, `-e` text that starts with `--`, `--on-error`, and what a failing statement
/// in the middle of a line tells.
@Suite struct CommandLineTests {
    @Test func versionNamesProgramSchemaAndLibraries() throws {
        let run = try CatalogHome().run(["--version"], withPath: false)
        #expect(run.status == 0, "\(run.errorOutput)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.output)")
        #expect(lines.first?.hasPrefix("catalog ") == true)
        #expect(lines.contains { $0.hasPrefix("schema version ") && Int($0.dropFirst("schema version ".count)) != nil })
        #expect(lines.contains { $0.hasPrefix("LMDB 0.") })
        #expect(lines.contains { $0.hasPrefix("libsodium 1.") })
    }

    @Test func topLevelHelpListsGlobalOptionsAndExamples() throws {
        let run = try CatalogHome().run(["--help"], withPath: false)
        #expect(run.status == 0)
        for option in [
            "--path", "--workspace", "--key-file", "--format", "-e, --execute", "-f, --file", "--on-error", "EXAMPLES",
        ] {
            #expect(run.output.contains(option), "--help does not mention \(option): \(run.output)")
        }
    }

    @Test(arguments: [["init"], ["--format", "json", "stats"], ["--format=json", "stats"]])
    func globalOptionsComeBeforeTheSubcommand(arguments: [String]) throws {
        let home = CatalogHome()
        if arguments != ["init"] { #expect(try home.run(["init"]).status == 0) }
        // --path first, then the rest, the subcommand last of all but its own options.
        let run = try home.run(["--path", home.path] + arguments, withPath: false)
        #expect(run.status == 0, "\(run.errorOutput)")
        #expect(FileManager.default.fileExists(atPath: home.dataFile))
        if arguments.contains("stats") || arguments.contains("--format=json") {
            #expect(run.output.hasPrefix("{"), "\(run.output)")
        }
    }

    @Test func executeTakesTextStartingWithAComment() throws {
        let home = CatalogHome()
        let run = try home.run(["--format", "json", "-e", "-- note\nSHOW CONNECTIONS;"])
        #expect(run.status == 0, "\(run.errorOutput)")
        #expect(try run.outcome().resultSet?.columns.first == "name")
        let dashes = try home.run(["--format", "json", "-e", "--"])
        #expect(dashes.status == 0, "a comment alone is an empty script: \(dashes.errorOutput)")
    }

    @Test func commitAndRollbackOutsideATransactionWarn() throws {
        let home = CatalogHome()
        for statement in ["COMMIT", "ROLLBACK"] {
            let table = try home.run(["-e", statement])
            #expect(table.status == 0)
            #expect(
                table.errorOutput.contains("WARNING: there is no transaction in progress; \(statement) did nothing"),
                "\(table.errorOutput)")
            #expect(!table.errorOutput.contains("NOTICE: WARNING"))
            let json = try home.run(["--format", "json", "-e", statement])
            #expect(json.status == 0)
            #expect(try json.outcome().notices.first?.hasPrefix("WARNING: there is no transaction in progress") == true)
        }
    }

    @Test func aFailureNamesTheStatementsItLeftUnrun() throws {
        let home = CatalogHome()
        let run = try home.run(["-e", "BEGIN; \(SQLFixture.api("a")); DESC CONNECTION nope; COMMIT; SHOW CONNECTIONS"])
        #expect(run.status == 1)
        #expect(
            run.errorOutput.contains(
                "NOTICE: 2 later statements were not run after the error: COMMIT; SHOW CONNECTIONS"),
            "\(run.errorOutput)")
        let json = try home.run(["--format", "json", "-e", "DESC CONNECTION nope; COMMIT"])
        #expect(try json.outcomes().count == 1, "JSON keeps one object per statement that ran")
        #expect(json.errorOutput.contains("1 later statement was not run after the error: COMMIT"))
    }

    @Test func onErrorContinueRunsEveryStatement() throws {
        let home = CatalogHome()
        let text = "DESC CONNECTION nope; \(SQLFixture.api("b"));\nDESC CONNECTION nope2;\nSHOW CONNECTIONS;"
        let run = try home.run(["--format", "json", "--on-error", "continue", "-e", text])
        #expect(run.status == 1, "a failure still makes the exit status 1")
        let outcomes = try run.outcomes()
        #expect(outcomes.map { $0.errorCode } == ["not_found", nil, "not_found", nil])
        #expect(outcomes.last?.resultSet?.rows.count == 1)
        // The same for a script on stdin, across lines; stop (the default) ends at the first failure.
        let viaInput = try home.run(["--format", "json", "--on-error", "continue"], input: text)
        #expect(try viaInput.outcomes().count == 4)
        let stopping = try home.run(["--format", "json"], input: "DESC CONNECTION nope;\nSHOW CONNECTIONS;\n")
        #expect(try stopping.outcomes().count == 1)
        let bad = try home.run(["--on-error", "sometimes", "-e", "SHOW CONNECTIONS"])
        #expect(bad.status == 2)
    }

    @Test func anErrorShowsItsLineWithACaretAndHidesValues() throws {
        let home = CatalogHome()
        #expect(try home.run(["init"]).status == 0)
        let run = try home.run(["-e", "SHOW CONNECTIONS;\nDESC CONECTION x;"])
        #expect(run.status == 1)
        let lines = run.errorOutput.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "ERROR [syntax_error] at line 2, column 6: expected CONNECTION after DESC, found 'CONECTION'"
        )
        #expect(lines.dropFirst().first == "LINE 2: DESC CONECTION x;")
        #expect(lines.dropFirst(2).first == String(repeating: " ", count: 8 + 5) + "^")
        let secret = try home.run(["-e", "CREATE STORAGE CONNECTION s TYPE = OSS ACCESS_KEY = 'hush-hush' BOGUS = 'x'"])
        #expect(
            secret.errorOutput.contains("LINE 1: CREATE STORAGE CONNECTION s TYPE = OSS ACCESS_KEY = '…' BOGUS = '…'"),
            "\(secret.errorOutput)")
        #expect(!secret.errorOutput.contains("hush"))
        let json = try home.run(["--format", "json", "-e", "DESC CONECTION x"])
        #expect(json.errorOutput.isEmpty && !json.output.contains("LINE"), "JSON keeps its shape")
    }
}
