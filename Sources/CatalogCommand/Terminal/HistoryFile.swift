import ArgumentParser
import CatalogSQL
import ConnectionCatalog
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
        path =
            environment["CATALOG_HISTORY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(state)/connection-catalog/history"
    }

    /// The history entries of `statements`: each one that parsed, redacted, on one line with its `;`. Text that
    /// did not parse is not kept (it may hold a secret).
    static func entries(of statements: StatementSequence) -> [String] {
        statements.compactMap { result -> String? in
            guard case .success(let parsed) = result else { return nil }
            return parsed.statement.redactedForDisplay.sqlText.replacingOccurrences(of: "\n", with: " ") + ";"
        }
    }

    /// Appends the statements that parsed (`entries(of:)`).
    func append(_ statements: StatementSequence) {
        append(entries: Self.entries(of: statements))
    }

    /// Appends entries made by `entries(of:)`, one a line.
    func append(entries: [String]) {
        let lines = entries.map { $0 + "\n" }
        guard !lines.isEmpty else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Never through a symbolic link: the history would land in (and chmod) whatever file it points to.
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            warnOnce("the history file '\(path)' is a symbolic link or not a regular file; history is not kept")
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            warnOnce(
                "cannot write the history file '\(path)': \(String(cString: strerror(errno))); history is not kept")
            return
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array(lines.joined().utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

extension HistoryFile {
    /// The statements of earlier sessions, oldest first, to seed the line editor's recall (they are redacted
    /// already). Empty when there is no history file or it is not a regular file.
    func load(limit: Int = 1000) -> [String] {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
            let data = FileManager.default.contents(atPath: path)
        else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return Array(lines.suffix(limit))
    }
}
