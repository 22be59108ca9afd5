import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// The interactive shell: a prompt, statements across lines until `;`, meta-commands (`\?`), line editing with
/// libedit, and a history file that holds only redacted statements.
///
/// Ctrl-C drops the line being typed (and the statement gathered so far) and shows a new prompt; an open BEGIN
/// stays open, and the prompt `catalog*> ` says so. Ctrl-D on an empty line, `\q`, `quit` or `exit` leave,
/// rolling back an open transaction with a notice.
struct Shell {
    let session: Session
    var output: Output
    let onError: FailurePolicy
    /// Whether results taller than the terminal go through the pager (`--no-pager`, `\pset pager`).
    var usesPager = true
    /// Whether each statement's time is printed (`\timing`).
    var timing = false
    let history = HistoryFile()

    init(session: Session, output: Output, onError: FailurePolicy) {
        self.session = session
        self.output = output
        self.onError = onError
    }

    mutating func run() {
        writeStandardError(
            "Connection Catalog SQL shell on \(session.catalog.path). End statements with ';', \\? for help, \\q to quit.\n"
        )
        history.checkUsable()
        Interrupts.install()
        var input = lineSource()
        output.pager = usesPager ? Pager.forTerminal() : nil
        var buffer = ""
        reading: while true {
            let prompt = buffer.isEmpty ? (session.isInTransaction ? "catalog*> " : "catalog> ") : "      -> "
            input.setContext(buffer)
            Interrupts.clear()
            let line: String
            switch input.read(prompt: prompt) {
            case .line(let text): line = text
            case .interrupted:
                buffer = ""
                continue reading
            case .end:
                writeStandardOutput("\n")
                break reading
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if buffer.isEmpty && (trimmed == "quit" || trimmed == "exit") { break }
            if buffer.isEmpty && trimmed == "help" {
                writeStandardOutput(MetaCommand.helpText)
                continue
            }
            if buffer.isEmpty && trimmed.hasPrefix("\\") {
                input.remember(trimmed)
                guard runMetaCommand(trimmed) else { break }
                output.pager = usesPager ? Pager.forTerminal() : nil
                continue
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            guard Self.isComplete(buffer) else { continue }
            run(buffer, firstLine: 1)
            let entries = HistoryFile.entries(of: Parser.statements(in: buffer))
            history.append(entries: entries)
            for entry in entries { input.remember(entry) }
            buffer = ""
        }
        if session.isInTransaction {
            output.write(.ok(notices: ["leaving the shell inside BEGIN; the pending statements were rolled back"]))
        }
    }

    /// Runs `text` and writes its outcomes (and, with `\timing`, how long it took).
    func run(_ text: String, firstLine: Int) {
        let started = ContinuousClock.now
        let result = session.executeBlocking(text, firstLine: firstLine, onFailure: onError)
        output.write(result, source: text, firstLine: firstLine)
        if timing {
            let elapsed = ContinuousClock.now - started
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            writeStandardError(String(format: "Time: %.3f ms\n", milliseconds))
        }
    }

    /// libedit when standard input is a terminal that echoes; plain reads otherwise (a terminal under
    /// `stty -echo`, where libedit's own echo would show what the user chose to hide, as its readline layer
    /// does too).
    private func lineSource() -> any LineSource {
        var modes = termios()
        let echoes = tcgetattr(STDIN_FILENO, &modes) == 0 && (modes.c_lflag & tcflag_t(ECHO)) != 0
        let session = session
        let completer = Completer(connectionNames: { Self.connectionNames(in: session) })
        if echoes, let editor = LineEditor(completer: completer, seed: history.load()) { return editor }
        return PlainLineSource()
    }

    /// The names `SHOW CONNECTIONS` lists in this session (pending changes of an open BEGIN included).
    private static func connectionNames(in session: Session) -> [String] {
        guard let show = try? Parser.parseOne("SHOW CONNECTIONS"),
            case .resultSet(let result) = session.executeBlocking(show)
        else { return [] }
        return result.rows.compactMap { $0.first ?? nil }
    }

    /// Whether `text` ends a statement: its last token is `;` (a comment may follow) and no string or comment
    /// is left open, nor a statement unfinished.
    static func isComplete(_ text: String) -> Bool {
        guard Parser.endsStatement(text) else { return false }
        for statement in Parser.statements(in: text) {
            if case .failure(let error) = statement, error.isAtEndOfInput { return false }
        }
        return true
    }
}
