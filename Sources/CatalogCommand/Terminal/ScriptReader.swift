import CatalogSQL
import Foundation

/// Reads a script from a file descriptor as it arrives and hands it out statement by statement, so that each
/// statement runs (and its outcome is printed) before the rest of the input has been read.
///
/// Input is split into lines; lines gather until they end a statement (`Shell.isComplete`). Memory stays
/// bounded by the longest statement, whatever the input's length (`yes 'SHOW CONNECTIONS;' | catalog`).
/// Bytes that are not UTF-8 end the script with `invalid_value` at the first bad byte.
struct ScriptReader {
    /// Complete statements, and where they start in the input.
    struct Piece {
        let text: String
        let firstLine: Int
    }

    private let descriptor: Int32
    private var unread: [UInt8] = []
    private var scanned = 0
    private var statement: [UInt8] = []
    private var statementLine = 1
    private var nextLine = 1
    private var atEnd = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// The next complete statement (or the unfinished text at the end of the input, which the parser then
    /// reports), `nil` at the end, or the error of input that cannot be read.
    mutating func next() -> Result<Piece, RenderedError>? {
        while true {
            if let line = takeLine() {
                if statement.isEmpty { statementLine = nextLine }
                nextLine += 1
                statement += line
                statement.append(UInt8(ascii: "\n"))
                // A line can only end a statement where it ends in `;`, possibly followed by a comment.
                guard line.contains(UInt8(ascii: ";")) else { continue }
                switch SQLInput.text(fromUTF8: statement, firstLine: statementLine) {
                case .failure(let error): return .failure(error)
                case .success(let text):
                    guard Shell.isComplete(text) else { continue }
                    statement.removeAll(keepingCapacity: true)
                    return .success(Piece(text: text, firstLine: statementLine))
                }
            }
            if atEnd {
                if !unread.isEmpty {
                    if statement.isEmpty { statementLine = nextLine }
                    statement += unread
                    unread.removeAll()
                    scanned = 0
                }
                guard !statement.isEmpty else { return nil }
                defer { statement.removeAll() }
                return SQLInput.text(fromUTF8: statement, firstLine: statementLine).map {
                    Piece(text: $0, firstLine: statementLine)
                }
            }
            if let error = fill() { return .failure(error) }
        }
    }

    /// The next whole line of the unread bytes, without its newline, or `nil` when no newline has arrived.
    private mutating func takeLine() -> [UInt8]? {
        guard let newline = unread[min(scanned, unread.count)...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = unread.count
            return nil
        }
        let line = Array(unread[..<newline])
        unread.removeSubrange(...newline)
        scanned = 0
        return line
    }

    /// Reads what has arrived (blocking until something has); marks the end of the input.
    private mutating func fill() -> RenderedError? {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                unread += chunk[..<count]
                return nil
            }
            if count == 0 {
                atEnd = true
                return nil
            }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            atEnd = true
            return RenderedError(code: "io_error", message: "reading the script failed: \(reason)")
        }
    }
}
