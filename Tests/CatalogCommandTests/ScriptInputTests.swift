import CatalogTestSupport
import Foundation
import Testing

/// Scripts on standard input and in files: each statement runs as it arrives and its outcome is written at
/// once; input that is not UTF-8 is refused where it goes wrong; the shell's history never follows a link.
@Suite struct ScriptInputTests {
    /// `catalog --format json` reading a pipe that the test writes to statement by statement.
    final class LiveScript {
        let process = Process()
        let input = Pipe()
        let output = ByteSink()
        private let outputPipe = Pipe()

        init(_ home: CatalogHome) throws {
            process.executableURL = URL(fileURLWithPath: "\(HelperProcess.buildDirectory)/catalog")
            process.arguments = ["--path", home.path, "--format", "json"]
            process.environment = home.environment
            process.standardInput = input
            process.standardOutput = outputPipe
            process.standardError = FileHandle.nullDevice
            let sink = output
            outputPipe.fileHandleForReading.readabilityHandler = { handle in sink.append(handle.availableData) }
            try process.run()
        }

        var lines: [String] { output.text.split(separator: "\n").map(String.init) }

        /// Writes `text` and waits (up to 20 s) until the output holds `count` lines.
        func send(_ text: String, expectingLines count: Int) -> Bool {
            input.fileHandleForWriting.write(Data(text.utf8))
            let deadline = ContinuousClock.now + .seconds(20)
            while lines.count < count {
                guard ContinuousClock.now < deadline else { return false }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return true
        }

        deinit { outputPipe.fileHandleForReading.readabilityHandler = nil }
    }

    @Test func eachStatementOfAPipedScriptIsAnsweredBeforeTheNextArrives() throws {
        let home = CatalogHome()
        #expect(try home.run(["init"]).status == 0)
        let script = try LiveScript(home)
        // Standard input stays open throughout: a reader that waited for its end would answer nothing.
        #expect(script.send(SQLFixture.api("a") + ";\n", expectingLines: 1), "no outcome for the first statement")
        #expect(script.send("SHOW CONNECTIONS; -- a comment after the semicolon\n", expectingLines: 2))
        #expect(script.send(SQLFixture.api("b") + ";\n", expectingLines: 3))
        #expect(try JSONOutcome.parse(script.lines[1]).resultSet?.rows.map { $0[0] } == ["a"])
        // Killed now, it has told exactly what committed: the two creates it answered OK.
        kill(script.process.processIdentifier, SIGKILL)
        script.process.waitUntilExit()
        let answered = try script.lines.map(JSONOutcome.parse)
        #expect(answered == [.ok(notices: []), try JSONOutcome.parse(script.lines[1]), .ok(notices: [])])
        #expect(try home.names() == ["a", "b"])
    }

    @Test func aLongScriptIsNotReadWholeBeforeItRuns() throws {
        let home = CatalogHome()
        #expect(try home.run(["init"]).status == 0)
        let script = try LiveScript(home)
        // A first statement, then a second one split over two writes: the second answers only once whole.
        #expect(script.send("SHOW CONNECTIONS;\n", expectingLines: 1))
        input(script, "CREATE API CONNECTION c TYPE = CLOUD_FUNCTION PROVIDER = 'aws'\n")
        #expect(script.lines.count == 1, "half a statement runs nothing")
        #expect(
            script.send(
                "  REGION = 'us-east-1' ROLE_ARN = '\(SQLFixture.awsRole)' CODE_BUCKET = 'code-bucket';\n",
                expectingLines: 2))
        try script.input.fileHandleForWriting.close()
        script.process.waitUntilExit()
        #expect(script.process.terminationStatus == 0)
        #expect(try home.names() == ["c"])
    }

    private func input(_ script: LiveScript, _ text: String) {
        script.input.fileHandleForWriting.write(Data(text.utf8))
        Thread.sleep(forTimeInterval: 0.2)
    }

    @Test func errorsOfAStreamedScriptCarryTheScriptsLineNumbers() throws {
        let home = CatalogHome()
        let script = "SHOW CONNECTIONS;\n\n\(SQLFixture.api("a"));\nDESC CONNECTION nope;\n"
        let run = try home.run(["--format", "json"], input: script)
        #expect(run.status == 1)
        let outcomes = try run.outcomes()
        guard case .error(let code, _, let line, let column) = outcomes.last else {
            Issue.record("expected an error, got \(outcomes)")
            return
        }
        #expect(code == "not_found" && line == 4 && column == 17)
    }

    enum Source: String, CaseIterable, CustomTestStringConvertible {
        case file, standardInput
        var testDescription: String { rawValue }
    }

    @Test(arguments: Source.allCases)
    func bytesThatAreNotUTF8AreRefusedWithTheirPosition(_ source: Source) throws {
        let home = CatalogHome()
        #expect(try home.run(["init"]).status == 0)
        var bytes = Array(
            "SHOW CONNECTIONS;\nCREATE STORAGE CONNECTION s TYPE = S3 REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/a"
                .utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("x';\n".utf8)
        let file = home.directory.appending("latin1.sql")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let run: CatalogRun
        switch source {
        case .file: run = try home.run(["--format", "json", "-f", file])
        case .standardInput:
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "\(HelperProcess.buildDirectory)/catalog")
            process.arguments = ["--path", home.path, "--format", "json"]
            process.environment = home.environment
            process.standardInput = FileHandle(forReadingAtPath: file)
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            run = CatalogRun(status: process.terminationStatus, output: output, errorOutput: "")
        }
        #expect(run.status == 1)
        let outcomes = try run.outcomes()
        #expect(outcomes.count == 2, "the statement before the bad bytes ran: \(outcomes)")
        guard case .error(let code, let message, let line, let column) = outcomes.last else {
            Issue.record("expected an error, got \(outcomes)")
            return
        }
        #expect(code == "invalid_value" && message.contains("UTF-8"))
        #expect(line == 2 && column == 104, "at line \(line ?? 0), column \(column ?? 0)")
        #expect(try home.names().isEmpty, "nothing with a replaced character was stored")
    }

    @Test func theShellKeepsNoHistoryThroughASymbolicLink() throws {
        try #require(ShellSession.isAvailable, "needs util-linux script")
        let home = CatalogHome()
        let target = home.directory.appending("elsewhere")
        try "precious\n".write(toFile: target, atomically: true, encoding: .utf8)
        chmod(target, 0o644)
        try FileManager.default.createSymbolicLink(atPath: home.historyFile, withDestinationPath: target)
        let shell = try ShellSession(home)
        #expect(try shell.send("SHOW CONNECTIONS;").resultSet != nil)
        try shell.quit()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
        #expect(try home.mode(of: target) == 0o644, "the link's target keeps its mode")
        #expect(shell.output.contains("symbolic link"))
    }
}
