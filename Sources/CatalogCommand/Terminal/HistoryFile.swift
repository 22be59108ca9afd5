import ConnectionCatalog
import ArgumentParser
import CatalogSQL
import Foundation

/// The shell's history: one redacted statement per line, in a `0600` file
/// (`$XDG_STATE_HOME/connection-catalog/history`, else `~/.local/state/connection-catalog/history`).
///
/// Statements are written as the parser understood them with every secret value replaced — never the text as
/// typed — so that nothing a user pasted as a secret lands on disk.
struct HistoryFile {
    let path: String
    private let warned = Warned()

    /// Whether the shell has said once that the history cannot be written.
    private final class Warned {
        var done = false
    }

    private func warnOnce(_ message: String) {
        guard !warned.done else { return }
        warned.done = true
        writeStandardError("warning: \(message)\n")
    }

    /// Says at once, before the first prompt, when the history cannot be kept (the path is a link).
    func checkUsable() {
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            warnOnce("the history file '\(path)' is a symbolic link or not a regular file; history is not kept")
        }
    }

    init() {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(homeDirectory())/.local/state"
        path = environment["CATALOG_HISTORY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(state)/connection-catalog/history"
    }

    /// Appends the statements that parsed; text that did not parse is not kept (it may hold a secret).
    func append(_ statements: StatementSequence) {
        let lines = statements.compactMap { result -> String? in
            guard case .success(let parsed) = result else { return nil }
            return parsed.statement.redactedForDisplay.sqlText.replacingOccurrences(of: "\n", with: " ") + ";\n"
        }
        guard !lines.isEmpty else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Never through a symbolic link: the history would land in (and chmod) whatever file it points to.
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            warnOnce("the history file '\(path)' is a symbolic link or not a regular file; history is not kept")
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            warnOnce("cannot write the history file '\(path)': \(String(cString: strerror(errno))); history is not kept")
            return
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array(lines.joined().utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
