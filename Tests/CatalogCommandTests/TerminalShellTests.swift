import CatalogTestSupport
import Foundation
import Testing

/// The shell on a real terminal (tmux): line editing and history recall, Ctrl-R, Tab completion, Ctrl-C,
/// meta-commands, and a history file that holds no secret however the statements were typed.
@Suite(.serialized) struct TerminalShellTests {
    func shell(
        _ home: CatalogHome, _ arguments: [String] = [], extraEnvironment: [String: String] = [:]
    ) throws
        -> TerminalSession
    {
        try #require(TerminalSession.isAvailable, "needs tmux")
        return try TerminalSession(home, arguments, extraEnvironment: extraEnvironment)
    }

    @Test func upArrowRecallsThePreviousStatement() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("recalled_fn"))
        let shell = try shell(home)
        defer { shell.close() }
        try shell.enter("SHOW CONNECTIONS;")
        shell.expect("(1 row)")
        try shell.press("Up")
        #expect(shell.wait { _ in shell.lastLine.hasPrefix("catalog> SHOW CONNECTIONS;") }, "\(shell.screen)")
        try shell.press("Enter")
        shell.expect("(1 row)", times: 2)
        #expect(!shell.screen.contains("^[[A"))
    }

    @Test func ctrlRFindsAnEarlierStatement() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("searched_fn"))
        let shell = try shell(home)
        defer { shell.close() }
        try shell.enter("DESC CONNECTION searched_fn;")
        shell.expect("info_name")
        try shell.enter("SHOW CONNECTIONS;")
        shell.expect("(1 row)")
        try shell.awaitPrompt("catalog>")
        try shell.press("C-r")
        try shell.type("searched")
        // libedit shows the search (`bck:searched`) under the line it found: the statement as history keeps it,
        // canonical and redacted.
        #expect(
            shell.wait { screen in
                screen.split(separator: "\n").suffix(2).contains { $0.contains("DESCRIBE CONNECTION searched_fn;") }
            },
            "\(shell.screen)")
        try shell.press("Enter")
        shell.expect("info_name", times: 2)
    }

    @Test func tabCompletesAConnectionName() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("sales_tab_fn"))
        try home.sql(SQLFixture.api("other_fn"))
        let shell = try shell(home)
        defer { shell.close() }
        try shell.type("DESC CONNECTION sal")
        try shell.press("Tab")
        #expect(shell.wait { _ in shell.lastLine.hasSuffix("DESC CONNECTION sales_tab_fn") }, "\(shell.screen)")
        try shell.enter(";")
        shell.expect("EXTERNAL_ID")
        // Property keys of the type being created, and keywords in the case they are typed in.
        try shell.type("create storage connection z type = OSS ENDP")
        try shell.press("Tab")
        #expect(shell.wait { _ in shell.lastLine.hasSuffix("type = OSS ENDPOINT") }, "\(shell.screen)")
        try shell.press("C-c")
        try shell.awaitPrompt("catalog>")
        try shell.type("sho")
        try shell.press("Tab")
        #expect(shell.wait { _ in shell.lastLine.hasSuffix("catalog> show") }, "\(shell.screen)")
    }

    @Test func ctrlCCancelsTheLineAndKeepsAnOpenTransaction() throws {
        let home = CatalogHome()
        let shell = try shell(home)
        defer { shell.close() }
        try shell.enter("BEGIN;")
        shell.expect("catalog*>")
        try shell.enter(SQLFixture.api("kept_fn") + ";")
        shell.expect("pending until COMMIT")
        try shell.awaitPrompt("catalog*>")
        try shell.type("DROP CONNECTION kept_fn")
        #expect(shell.wait { _ in shell.lastLine.hasSuffix("DROP CONNECTION kept_fn") })
        try shell.press("C-c")
        #expect(
            shell.wait { _ in shell.lastLine == "catalog*>" }, "a new prompt, still in the transaction: \(shell.screen)"
        )
        // A statement cut off across lines is dropped as well.
        try shell.enter("DROP CONNECTION")
        try shell.awaitPrompt("      ->")
        try shell.press("C-c")
        #expect(shell.wait { _ in shell.lastLine == "catalog*>" }, "\(shell.screen)")
        #expect(shell.isRunning, "Ctrl-C must not end the shell")
        try shell.enter("COMMIT;")
        shell.expect("committed 1 statement(s)")
        #expect(shell.wait { _ in shell.lastLine == "catalog>" })
        try shell.press("C-d")
        #expect(shell.wait { _ in !shell.isRunning })
        #expect(try home.names() == ["kept_fn"])
    }

    @Test func ctrlDInsideBeginRollsBackWithANotice() throws {
        let home = CatalogHome()
        let shell = try shell(home)
        defer { shell.close() }
        try shell.enter("BEGIN;")
        try shell.enter(SQLFixture.api("dropped_fn") + ";")
        shell.expect("pending until COMMIT")
        try shell.press("C-d")
        shell.expect("leaving the shell inside BEGIN; the pending statements were rolled back")
        #expect(try home.names().isEmpty)
    }

    @Test func metaCommands() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("meta_fn"))
        let shell = try shell(home)
        defer { shell.close() }
        try shell.enter("\\?")
        shell.expect("\\conninfo")
        try shell.enter("help")
        shell.expect("\\conninfo", times: 2)
        try shell.enter("\\h CREATE")
        shell.expect("CREATE { API | STORAGE } CONNECTION [IF NOT EXISTS] name TYPE [=] type")
        try shell.enter("\\h show connection history")
        shell.expect("SHOW CONNECTION HISTORY name")
        try shell.enter("\\x")
        shell.expect("Expanded display is on.")
        try shell.enter("SHOW CONNECTIONS;")
        shell.expect("-[ RECORD 1 ]")
        shell.expect("name         | meta_fn")
        try shell.enter("\\x off")
        try shell.enter("\\format json")
        shell.expect("Output format is json.")
        try shell.enter("SHOW CONNECTIONS;")
        shell.expect(
            "{\"columns\": [\"name\", \"category\", \"type\", \"enabled\", \"created_time\"], \"rows\": [[\"meta_fn\"")
        try shell.enter("\\conninfo")
        shell.expect("store LMDB, schema version")
        try shell.enter("\\timing")
        shell.expect("Timing is on.")
        try shell.enter("SHOW CONNECTIONS;")
        shell.expect("Time: ")
        let script = home.directory.appending("included.sql")
        try "\(SQLFixture.api("included_fn"));\n".write(toFile: script, atomically: true, encoding: .utf8)
        try shell.enter("\\i \(script)")
        shell.expect("{\"ok\": true}")
        try shell.enter("\\nonsense")
        shell.expect("invalid command \\nonsense")
        try shell.enter("\\q")
        #expect(shell.wait { _ in !shell.isRunning })
        #expect(try home.names() == ["included_fn", "meta_fn"])
    }

    /// A result taller than the 40-line terminal goes through `$PAGER` (here a command that keeps what it is
    /// given); a short one does not, and `\pset pager off` / `--no-pager` print even a tall one directly.
    @Test func tallResultsGoThroughThePagerUntilItIsTurnedOff() throws {
        let home = CatalogHome()
        try home.sql((1...45).map { SQLFixture.api("paged_fn_\($0)") }.joined(separator: ";\n"))
        let paged = home.directory.appending("paged.txt")
        let pager = ["PAGER": "cat >> '\(paged)'"]
        let shell = try shell(home, extraEnvironment: pager)
        defer { shell.close() }
        try shell.enter("SHOW CONNECTIONS LIKE 'paged_fn_1';")
        shell.expect("(1 row)")
        #expect(!FileManager.default.fileExists(atPath: paged), "a short result is not paged")
        try shell.enter("SHOW CONNECTIONS;")
        #expect(
            shell.wait { _ in (try? String(contentsOfFile: paged, encoding: .utf8))?.contains("(45 rows)") == true })
        let text = try String(contentsOfFile: paged, encoding: .utf8)
        #expect(text.contains(" paged_fn_1 ") && text.contains(" paged_fn_45 "))
        try shell.enter("\\pset pager off")
        shell.expect("Pager usage is off.")
        try shell.enter("SHOW CONNECTIONS;")
        shell.expect("(45 rows)")
        #expect(try String(contentsOfFile: paged, encoding: .utf8) == text, "nothing more was paged")
        try shell.enter("\\q")
        #expect(shell.wait { _ in !shell.isRunning })
        shell.close()

        let unpaged = try self.shell(home, ["--no-pager"], extraEnvironment: pager)
        defer { unpaged.close() }
        try unpaged.enter("SHOW CONNECTIONS;")
        unpaged.expect("(45 rows)")
        #expect(try String(contentsOfFile: paged, encoding: .utf8) == text, "--no-pager pages nothing")
    }

    @Test func anErrorInTheShellShowsTheCaretAndTheSkippedStatements() throws {
        let home = CatalogHome()
        let shell = try shell(home)
        defer { shell.close() }
        try shell.enter("BEGIN; DESC CONECTION x; COMMIT;")
        shell.expect("LINE 1: BEGIN; DESC CONECTION x; COMMIT;")
        shell.expect("1 later statement was not run after the error: COMMIT")
        try shell.enter("COMMIT; ROLLBACK;")
        shell.expect("WARNING: there is no transaction in progress; ROLLBACK did nothing")
    }

    @Test func historyFileHoldsNoSecretTypedAtTheTerminal() throws {
        let home = CatalogHome()
        let secret = PlantedSecret()
        let scanner = SecretScanner(secret)
        let shell = try shell(home)
        defer { shell.close() }
        let statements = RedactionTests.statements(with: secret.value).filter { !$0.sql.contains("\(secret.value)\n") }
            .filter { !$0.sql.hasSuffix("'\(secret.value)") }
        for (index, statement) in statements.enumerated() {
            try shell.enter(statement.sql + ";")
            // Each statement's outcome (OK, NOTICE or ERROR) before the next prompt.
            #expect(
                shell.wait { _ in shell.count("catalog>") >= index + 2 }, "\(statement.sql.prefix(60)): \(shell.screen)"
            )
        }
        // Recall works on the redacted text: up-arrow brings back no secret.
        try shell.press("Up")
        #expect(shell.wait { _ in shell.lastLine.contains("'<redacted>'") || shell.lastLine.contains("SECRT_KEY") })
        try shell.press("C-c")
        try shell.awaitPrompt("catalog>")
        try shell.enter("\\q")
        #expect(shell.wait { _ in !shell.isRunning })
        let history = try String(contentsOfFile: home.historyFile, encoding: .utf8)
        #expect(scanner.findings(in: history).isEmpty, "the history file holds the secret")
        #expect(!history.contains(secret.value.replacingOccurrences(of: "-", with: "_")))
        #expect(history.contains("ACCESSKEY = '<redacted>'"), "a misspelled secret key is redacted too: \(history)")
        #expect(history.contains("ALTER CONNECTION o SET ACCESS_KEY = '<redacted>'"))
        #expect(try home.mode(of: home.historyFile) == 0o600)
    }
}
