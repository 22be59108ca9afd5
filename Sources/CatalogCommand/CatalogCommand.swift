import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// The root command: `catalog <subcommand>`; `catalog` alone opens the SQL shell.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "An embedded catalog of lakehouse CONNECTION objects.",
        usage: """
            catalog [<global options>] [sql] [-e SQL | -f FILE] [--on-error stop|continue] [--no-pager]
            catalog [<global options>] <subcommand> [<options>]
            """,
        discussion: """
            GLOBAL OPTIONS (before or after the subcommand):
              --path DIR          the catalog directory (default: $CATALOG_PATH,
                                  else ~/.local/share/connection-catalog)
              --workspace NAME    the workspace statements run in (default: default)
              --key-file PATH     the master key file (default: $CATALOG_KEY_FILE,
                                  else $CATALOG_MASTER_KEY, else <path>.key)
              --format FORMAT     table, json or csv (default: table)

            SQL OPTIONS (catalog sql, the default subcommand):
              -e, --execute SQL   run these statements and exit (any text, even
                                  one that starts with '-' or '--')
              -f, --file FILE     run the statements in this file and exit
              --on-error MODE     stop (default) or continue after a failure
              --no-pager          never page results in the shell

            EXAMPLES:
              catalog                              the SQL shell (\\? for help)
              catalog --path ./cat init            a new catalog and key file
              catalog -e "SHOW CONNECTIONS;"       one statement, then exit
              catalog --format json -f setup.sql   a script, JSON Lines out
              catalog --on-error continue -f a.sql run every statement
              catalog backup /backups/cat-0511     an online backup
            """,
        version: ProgramVersion.text,
        subcommands: [
            SQLCommand.self, InitCommand.self, StatsCommand.self, SettingsCommand.self, RotateKeyCommand.self,
            RekeyCommand.self, BackupCommand.self, VerifyCommand.self, RestoreCommand.self, ExportCommand.self,
            ImportCommand.self,
            CheckCommand.self, CheckWorkerCommand.self, SalvageCommand.self, ChangesCommand.self,
        ],
        defaultSubcommand: SQLCommand.self
    )

    /// The names of the subcommands, for `ArgumentOrder`.
    static var subcommandNames: Set<String> {
        Set(configuration.subcommands.map { $0._commandName })
    }
}

/// A statement or operation failed: exit status 1. The failure has already been reported.
struct OperationFailed: Error {}
