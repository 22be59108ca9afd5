import ArgumentParser
import Foundation

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The catalog directory (default: $CATALOG_PATH, else a per-user data directory).")
    var path: String?

    /// The directory to open: `--path`, else `CATALOG_PATH`, else `$XDG_DATA_HOME/connection-catalog`
    /// (`~/.local/share/connection-catalog`).
    var catalogPath: String {
        if let path { return path }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CATALOG_PATH"], !path.isEmpty { return path }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return "\(data)/connection-catalog" }
        return "\(NSHomeDirectory())/.local/share/connection-catalog"
    }
}

/// Writes `message` and a newline to standard error.
func writeError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}
