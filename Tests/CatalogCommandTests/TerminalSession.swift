import CatalogTestSupport
import Foundation
import Testing

/// The interactive shell on a real terminal: a tmux session (its own server, on a socket in the test's
/// directory) running `catalog sql`, driven with `send-keys` and read with `capture-pane`.
final class TerminalSession {
    private let socket: String
    private let name = "shell"

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Starts the shell in `home` with `arguments`, on a 120×40 terminal, and waits for its banner.
    init(_ home: CatalogHome, _ arguments: [String] = [], extraEnvironment: [String: String] = [:]) throws {
        socket = home.directory.appending("tmux.sock")
        let binary = "\(HelperProcess.buildDirectory)/catalog"
        let command = (["exec", binary, "sql", "--path", home.path] + arguments).map { "'\($0)'" }.joined(
            separator: " ")
        // The pane stays after the shell ends, so that its last screen can still be read; no status line.
        let configuration = home.directory.appending("tmux.conf")
        try "set -g remain-on-exit on\nset -g status off\n".write(
            toFile: configuration, atomically: true, encoding: .utf8)
        // Beside the whole suite, a tmux server has been seen never to show the shell (an empty screen, nothing
        // said): a new server gets two more tries, and a failure says what tmux said.
        var said: [String] = []
        for _ in 0..<3 {
            said.append(
                try tmux(
                    ["-f", configuration, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
                    environment: home.environment.merging(extraEnvironment) { $1 }))
            if wait(timeout: 20, until: { $0.contains("End statements with ';'") && $0.hasSuffix("catalog>") }) {
                return
            }
            said.append("screen: \(screen); sessions: \((try? tmux(["list-sessions"])) ?? "none")")
            close()
        }
        throw JSONOutcome.ShapeError(description: "the shell did not start: \(said.joined(separator: " | "))")
    }

    /// Runs tmux with `arguments` and returns what it printed.
    ///
    /// Spawned and reaped here (`posix_spawn`, `waitpid`), not with `Process`: Foundation did not reap the tmux
    /// client whose fork became the server, and `waitUntilExit` never returned. Output goes through a file, since
    /// the server would hold a pipe open.
    @discardableResult
    private func tmux(_ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let outputFile = socket + ".out"
        let environment = (environment ?? ProcessInfo.processInfo.environment).merging(["TERM": "xterm"]) { $1 }
        let argv = (["/usr/bin/tmux", "-S", socket] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // tmux and the shell start with no signal blocked: the test runner's threads block SIGINT, and a mask
        // is inherited.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw JSONOutcome.ShapeError(description: "cannot start tmux: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    }

    /// The whole screen and its scroll-back, trailing blank lines dropped.
    var screen: String {
        ((try? tmux(["capture-pane", "-p", "-J", "-S", "-2000", "-t", name])) ?? "")
            .split(separator: "\n", omittingEmptySubsequences: false).map { line in
                String(line.reversed().drop(while: { $0 == " " }).reversed())
            }
            .reversed().drop(while: { $0.trimmingCharacters(in: .whitespaces).isEmpty }).reversed().joined(
                separator: "\n")
    }

    /// The last line of the screen (where the cursor's prompt is), without trailing spaces (tmux drops them).
    var lastLine: String { screen.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? "" }

    /// Types `text` literally (no key names). A `;` goes as its byte (`-H 3b`): tmux takes an argument that
    /// ends in `;` for its own command separator.
    func type(_ text: String) throws {
        for (index, piece) in text.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { try tmux(["send-keys", "-t", name, "-H", "3b"]) }
            if !piece.isEmpty { try tmux(["send-keys", "-t", name, "-l", String(piece)]) }
        }
    }

    /// Presses keys by tmux name: `Enter`, `Up`, `Tab`, `C-c`, `C-r`, `C-d`.
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Types `line` and presses Enter.
    func enter(_ line: String) throws {
        try type(line)
        try press("Enter")
    }

    /// Waits until the last line is `prompt` alone: the shell is reading again (keys sent before that would race
    /// with the statement still running).
    func awaitPrompt(_ prompt: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let shown = wait { _ in lastLine == prompt }
        try #require(shown, "no '\(prompt)' prompt:\n\(screen)", sourceLocation: sourceLocation)
    }

    /// How often `text` appears on the screen.
    func count(_ text: String) -> Int { screen.components(separatedBy: text).count - 1 }

    /// Waits up to `timeout` seconds for the screen to satisfy `predicate`.
    func wait(timeout: Double = 15, until predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(screen) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return predicate(screen)
    }

    /// Waits until `text` appears on the screen `times` times; records an issue with the screen if it does not.
    @discardableResult
    func expect(_ text: String, times: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let found = wait { $0.components(separatedBy: text).count - 1 >= times }
        #expect(found, "expected \(times)× '\(text)' on the screen:\n\(screen)", sourceLocation: sourceLocation)
        return found
    }

    /// Whether the shell is still running in the pane.
    var isRunning: Bool { (try? tmux(["list-panes", "-t", name, "-F", "#{pane_dead}"]))?.hasPrefix("0") == true }

    /// Ends the tmux server (and the shell, if it still runs).
    func close() { _ = try? tmux(["kill-server"]) }
}
