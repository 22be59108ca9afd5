import CatalogSQL

extension Shell {
    /// `\x`, `\timing`: no argument toggles; `on` / `off` set.
    func toggle(_ setting: inout Bool, _ argument: String, _ label: String) {
        switch argument.lowercased() {
        case "": setting.toggle()
        case "on": setting = true
        case "off": setting = false
        default:
            writeStandardError("\(label): expected on or off, not '\(argument)'\n")
            return
        }
        writeStandardOutput("\(label) is \(setting ? "on" : "off").\n")
    }

    /// `\format table|json|csv`.
    mutating func setFormat(_ argument: String) {
        guard let format = OutputFormat(rawValue: argument.lowercased()) else {
            writeStandardError("\\format: expected table, json or csv\n")
            return
        }
        output.format = format
        writeStandardOutput("Output format is \(format.rawValue).\n")
    }

    /// `\pset pager on|off` (the only print option).
    mutating func setPrintOption(_ argument: String) {
        let words = argument.split(separator: " ").map { $0.lowercased() }
        guard words.first == "pager" else {
            writeStandardError("\\pset: the only option is pager (\\pset pager on|off)\n")
            return
        }
        toggle(&usesPager, words.dropFirst().first ?? "", "Pager usage")
    }
}
