import Foundation

/// What reading one line of the shell's input gave.
enum LineRead {
    /// A line, without its line ending.
    case line(String)
    /// Ctrl-C: the line being typed (and the statement being gathered) is dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case end
}

/// Where the shell reads its lines: libedit on an echoing terminal (`LineEditor`), else plain reads.
protocol LineSource {
    /// Shows `prompt` and reads one line.
    mutating func read(prompt: String) -> LineRead
    /// Adds an entry (a redacted statement or a meta-command) to what up-arrow and Ctrl-R find.
    mutating func remember(_ entry: String)
    /// The lines of the statement typed so far, before the line being read (for completion).
    mutating func setContext(_ text: String)
}

/// Plain reading without editing: a terminal that does not echo (the shell under `stty -echo`), where libedit
/// would echo itself, or a terminal libedit cannot drive.
struct PlainLineSource: LineSource {
    mutating func read(prompt: String) -> LineRead {
        writeStandardOutput(prompt)
        var bytes: [UInt8] = []
        while true {
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 {
                if byte == UInt8(ascii: "\n") { return .line(String(decoding: bytes, as: UTF8.self)) }
                bytes.append(byte)
                continue
            }
            if count < 0 && errno == EINTR {
                if Interrupts.pending { return .interrupted }
                continue
            }
            return bytes.isEmpty ? .end : .line(String(decoding: bytes, as: UTF8.self))
        }
    }

    mutating func remember(_ entry: String) {}
    mutating func setContext(_ text: String) {}

    private func read(_ descriptor: Int32, _ byte: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        Foundation.read(descriptor, byte, count)
    }
}
