import CatalogSQL
import Foundation

/// The shell's backslash commands, psql style: a name and the rest of the line as its argument.
struct MetaCommand {
    let name: String
    let argument: String

    /// Splits `\name argument`.
    init(_ line: String) {
        let body = line.dropFirst()
        let name = body.prefix(while: { !$0.isWhitespace })
        self.name = String(name)
        argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
    }
}

extension Shell {
    /// Runs one meta-command; `false` when the shell should end (`\q`).
    mutating func runMetaCommand(_ line: String) -> Bool {
        let command = MetaCommand(line)
        switch command.name {
        case "q": return false
        case "?": writeStandardOutput(MetaCommand.helpText)
        case "h": writeStandardOutput(StatementSyntax.help(for: command.argument))
        case "x": toggle(&output.expanded, command.argument, "Expanded display")
        case "timing": toggle(&timing, command.argument, "Timing")
        case "format": setFormat(command.argument)
        case "pset": setPrintOption(command.argument)
        case "i": include(command.argument)
        case "conninfo": writeStandardOutput(connectionInfo)
        default:
            writeStandardError("invalid command \\\(command.name); \\? lists the commands\n")
        }
        return true
    }
}
