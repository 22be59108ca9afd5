import ConnectionCatalog
import ArgumentParser
import CatalogSQL
import Foundation

/// `catalog sql`: the SQL shell on a terminal, statements from standard input otherwise, `-e` or `-f`.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Run SQL statements (the default: an interactive shell on a terminal).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: "Run these statements and exit.")
    var execute: String?

    @Option(name: .shortAndLong, help: "Run the statements in this file and exit.")
    var file: String?

    func validate() throws {
        if execute != nil && file != nil { throw ValidationError("give either -e or -f, not both") }
    }

    func run() throws {
        let output = Output(format: global.format)
        let opener = CatalogOpener(options: global, output: output)
        let text: String?
        if let execute {
            text = execute
        } else if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read the file '\(file)'")
            }
            text = String(decoding: contents, as: UTF8.self)
        } else if isatty(STDIN_FILENO) == 0 {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            text = nil
        }
        let catalog = try opener.open()
        let session = Session(catalog: catalog, workspace: try opener.workspace())
        guard let text else {
            Shell(session: session, output: output).run()
            return
        }
        var failed = false
        for outcome in session.executeBlocking(text) {
            output.write(outcome)
            failed = failed || outcome.isFailure
        }
        if session.isInTransaction {
            output.write(.ok(notices: ["the input ended inside BEGIN; the pending statements were rolled back"]))
            failed = true
        }
        if failed { throw OperationFailed() }
    }
}
