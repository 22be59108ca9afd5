import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog sql`: the SQL shell on a terminal, statements from standard input otherwise, `-e` or `-f`.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Run SQL statements (the default: an interactive shell on a terminal).")

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .shortAndLong, parsing: .unconditional,
        help: "Run these statements and exit (any text, even one that starts with '-' or '--').")
    var execute: String?

    @Option(name: .shortAndLong, help: "Run the statements in this file and exit.")
    var file: String?

    @Option(name: .customLong("on-error"), help: "After a failing statement: stop (the default) or continue.")
    var onError: FailurePolicy = .stop

    @Flag(name: .customLong("no-pager"), help: "Never page results in the interactive shell.")
    var noPager = false

    func validate() throws {
        if execute != nil && file != nil { throw ValidationError("give either -e or -f, not both") }
    }

    func run() throws {
        let output = Output(format: global.format)
        let opener = CatalogOpener(options: global, output: output)
        var script: ScriptReader?
        if let file {
            let descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw ValidationError("cannot read the file '\(file)': \(String(cString: strerror(errno)))")
            }
            script = ScriptReader(descriptor: descriptor)
        } else if execute == nil && isatty(STDIN_FILENO) == 0 {
            script = ScriptReader(descriptor: STDIN_FILENO)
        }
        let catalog = try opener.open()
        let session = Session(catalog: catalog, workspace: try opener.workspace())
        var failed = false
        if let execute {
            switch Self.commandLineText(execute) {
            case .success(let text): failed = run(text, firstLine: 1, in: session, output: output)
            case .failure(let error):
                output.write(.failure(error))
                failed = true
            }
        } else if var script {
            // Each statement runs as soon as it has arrived, and its outcome is written at once, so the output
            // of a script that is killed tells exactly what committed.
            // With --on-error stop the script ends at its first failure; with continue it runs to its end.
            while !(failed && onError == .stop), let piece = script.next() {
                switch piece {
                case .success(let piece):
                    failed = run(piece.text, firstLine: piece.firstLine, in: session, output: output) || failed
                case .failure(let error):
                    output.write(.failure(error))
                    failed = true
                }
            }
        } else {
            var shell = Shell(session: session, output: output, onError: onError)
            shell.usesPager = !noPager
            shell.run()
            return
        }
        if session.isInTransaction {
            output.write(.ok(notices: ["the input ended inside BEGIN; the pending statements were rolled back"]))
            failed = true
        }
        if failed { throw OperationFailed() }
    }

    /// Runs `text` and writes its outcomes, and which statements a failure left unrun; whether one failed.
    private func run(_ text: String, firstLine: Int, in session: Session, output: Output) -> Bool {
        let result = session.executeBlocking(text, firstLine: firstLine, onFailure: onError)
        output.write(result, source: text, firstLine: firstLine)
        return result.failed
    }

    /// The `-e` text, checked against the raw bytes of the command line: Swift repairs an argument that is not
    /// UTF-8 with U+FFFD, which must not become a stored value.
    static func commandLineText(_ text: String) -> Result<String, RenderedError> {
        for index in 0..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: argument, count: strlen(argument))).map {
                UInt8(bitPattern: $0)
            }
            guard String(validating: bytes, as: UTF8.self) == nil, String(decoding: bytes, as: UTF8.self) == text else {
                continue
            }
            return SQLInput.text(fromUTF8: bytes)
        }
        return .success(text)
    }
}
