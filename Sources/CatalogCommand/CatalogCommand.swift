import Foundation
import ConnectionCatalog
import CatalogSQL
import ArgumentParser

/// The root command: `catalog <subcommand>`; `catalog` alone opens the SQL shell.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "An embedded catalog of lakehouse CONNECTION objects.",
        subcommands: [
            SQLCommand.self, InitCommand.self, StatsCommand.self, SettingsCommand.self, RotateKeyCommand.self,
            RekeyCommand.self, BackupCommand.self, VerifyCommand.self, RestoreCommand.self, ExportCommand.self, ImportCommand.self,
            CheckCommand.self, CheckWorkerCommand.self, SalvageCommand.self,
        ],
        defaultSubcommand: SQLCommand.self
    )
}

/// A statement or operation failed: exit status 1. The failure has already been reported.
struct OperationFailed: Error {}
