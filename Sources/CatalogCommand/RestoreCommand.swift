import ArgumentParser
import CatalogBackup
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog restore BACKUP [--force]`: verify, stage beside the catalog, migrate, swap in atomically; with
/// `--store etcd://…`, verify and migrate in a scratch directory, write a new generation, switch it in at once.
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
        let opener = CatalogOpener(options: global, output: output)
        let master = try opener.existingMasterKey(allowingStore: true)
        let store = try opener.storeOnly()
        try output.perform { progress in
            let report =
                if let store {
                    try Backup.restore(
                        backup, into: store.store, description: store.location.description, master: master,
                        force: force, progress: progress)
                } else {
                    try Backup.restore(backup, to: global.catalogPath, master: master, force: force, progress: progress)
                }
            return [
                ("restored", report.path), ("catalog_id", report.manifest.catalogID),
                ("connections", "\(report.manifest.records.connections)"),
                ("replaced_existing", report.replacedExisting ? "yes" : "no"),
                ("migrated_from_schema", report.migratedFrom.map(String.init) ?? ""),
            ]
        }
    }
}
