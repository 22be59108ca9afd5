/// Lets the global options come before the subcommand (`catalog --path D init`), as well as after it.
///
/// swift-argument-parser reads options only after the subcommand's name, and with `sql` as the default
/// subcommand a leading `--path D` makes `init` an unexpected argument. So, before parsing, the global options
/// that lead the command line (each with its value) are moved to just after the subcommand's name. Nothing
/// after the first other argument is touched, so an `-e` text that looks like an option stays as it is.
enum ArgumentOrder {
    /// The global options that take a value (`GlobalOptions`, and `--store` of the etcd backend).
    static let valueOptions: Set<String> = ["--path", "--workspace", "--key-file", "--format", "--store"]

    /// `arguments` (without the program name) with leading global options moved after the subcommand, when a
    /// subcommand follows them; otherwise unchanged.
    static func subcommandFirst(_ arguments: [String], subcommands: Set<String>) -> [String] {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if valueOptions.contains(argument) {
                index += 2
            } else if let equals = argument.firstIndex(of: "="), valueOptions.contains(String(argument[..<equals])) {
                index += 1
            } else {
                break
            }
        }
        guard index > 0, index < arguments.count, subcommands.contains(arguments[index]) else { return arguments }
        return [arguments[index]] + arguments[..<index] + arguments[(index + 1)...]
    }
}
