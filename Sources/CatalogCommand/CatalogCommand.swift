import ArgumentParser

/// The root command: `catalog <subcommand>`.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "An embedded catalog of lakehouse CONNECTION objects.",
        subcommands: [StatsCommand.self, InitCommand.self],
        defaultSubcommand: StatsCommand.self
    )
}

/// A statement or operation failed: exit status 1, the message on standard error.
struct OperationFailed: Error {
    var message: String
}
