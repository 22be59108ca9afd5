import ArgumentParser
import CatalogBackup
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog restore BACKUP [--force]`: verify, stage beside the catalog, migrate, swap in atomically.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a verified backup into the catalog path, atomically.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The backup directory.")
    var backup: String

    @Flag(help: "Replace an existing catalog (never one that a process has open).")
    var force = false

    func run() throws {
        let output = Output(format: global.format)
        let master = try CatalogOpener(options: global, output: output).existingMasterKey()
        try output.perform { progress in
            let report = try Backup.restore(
                backup, to: global.catalogPath, master: master, force: force, progress: progress)
            return [
                ("restored", report.path), ("catalog_id", report.manifest.catalogID),
                ("connections", "\(report.manifest.records.connections)"),
                ("replaced_existing", report.replacedExisting ? "yes" : "no"),
                ("migrated_from_schema", report.migratedFrom.map(String.init) ?? ""),
            ]
        }
    }
}
