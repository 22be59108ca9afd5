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
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array(lines.joined().utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
