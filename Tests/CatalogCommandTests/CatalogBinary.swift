import CatalogTestSupport
import Foundation

/// Runs the built `catalog` binary with `arguments` in a fresh catalog directory, and collects what it printed.
struct CatalogRun {
    let status: Int32
    let output: String
    let errorOutput: String
}

/// A temporary home for `catalog` runs: the catalog directory, its key file beside it, a history file.
struct CatalogHome {
    let directory = TemporaryDirectory("catalog-cli")
    var path: String { directory.appending("catalog") }
    var keyFile: String { directory.appending("catalog.key") }
    var historyFile: String { directory.appending("history") }

    /// The environment a run gets: only what the program needs, nothing inherited that could point elsewhere.
    var environment: [String: String] {
        ["HOME": directory.path, "CATALOG_HISTORY_FILE": historyFile, "PATH": "/usr/bin:/bin"]
    }

    func run(_ arguments: [String], input: String? = nil, withPath: Bool = true) throws -> CatalogRun {
        let process = try HelperProcess(
            "catalog", (withPath ? ["--path", path] : []) + arguments, environment: environment, input: input)
        let status = process.waitForExit()
        return CatalogRun(status: status, output: process.output, errorOutput: process.errorOutput)
    }
}
