import ConnectionCatalog
import ArgumentParser
import CatalogSQL
import Foundation

/// The interactive shell: a prompt, statements across lines until `;`, `\q` or Ctrl-D to leave, and a history
/// file that holds only redacted statements.
struct Shell {
    let session: Session
    let output: Output

    func run() {
        let history = HistoryFile()
        writeStandardError("Connection Catalog SQL shell on \(session.catalog.path). End statements with ';', \\q to quit.\n")
        history.checkUsable()
        var buffer = ""
        while true {
            let prompt = buffer.isEmpty ? (session.isInTransaction ? "catalog*> " : "catalog> ") : "      -> "
            writeStandardOutput(prompt)
            guard let line = readLine(strippingNewline: true) else {
                writeStandardOutput("\n")
                break
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if buffer.isEmpty && (trimmed == "\\q" || trimmed == "quit" || trimmed == "exit") { break }
            buffer += buffer.isEmpty ? line : "\n" + line
            guard Self.isComplete(buffer) else { continue }
            let statements = Parser.statements(in: buffer)
            for outcome in session.executeBlocking(buffer) { output.write(outcome) }
            history.append(statements)
            buffer = ""
        }
        if session.isInTransaction {
            output.write(.ok(notices: ["leaving the shell inside BEGIN; the pending statements were rolled back"]))
        }
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
