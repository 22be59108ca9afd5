// The `catalog` program. Its own entry point maps argument errors to exit status 2 (bad usage), statement or
// operation failures to 1, success to 0.
import ArgumentParser
import Foundation

do {
    let arguments = ArgumentOrder.subcommandFirst(
        Array(CommandLine.arguments.dropFirst()), subcommands: CatalogCommand.subcommandNames)
    var command = try CatalogCommand.parseAsRoot(arguments)
    CatalogCreation.record(command)
    try command.run()
} catch is OperationFailed {
    exit(1)
} catch {
    let code = CatalogCommand.exitCode(for: error)
    if code == .success {
        print(CatalogCommand.fullMessage(for: error))
        exit(0)
    }
    writeStandardError(CatalogCommand.fullMessage(for: error) + "\n")
    exit(code == .validationFailure ? 2 : 1)
}
