import Foundation

/// Shows table results taller than the terminal through `$PAGER` (default `less -FRX`), as psql does.
///
/// Only for the interactive shell with standard output on a terminal; `\pset pager off` and `--no-pager`
/// turn it off, and output that is not a terminal is never paged.
struct Pager {
    let command: String

    /// The pager for this terminal, or `nil` when standard output is not one.
    static func forTerminal() -> Pager? {
        guard isatty(STDOUT_FILENO) != 0 else { return nil }
        let configured = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 }
        return Pager(command: configured ?? "less -FRX")
    }

    /// The terminal's height in lines, or `nil` when it cannot be told.
    private var terminalRows: Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }

    /// Sends `text` through the pager when it is taller than the terminal; whether it did (else the caller
    /// writes it as usual).
    func shows(_ text: String) -> Bool {
        guard let rows = terminalRows, text.reduce(0, { $0 + ($1 == "\n" ? 1 : 0) }) >= rows - 1 else { return false }
        guard let pipe = popen(command, "w") else { return false }
        _ = text.withCString { fputs($0, pipe) }
        pclose(pipe)
        return true
    }
}
