import ArgumentParser
import CatalogBackup
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog backup DEST`: an online, consistent, compacted copy of the catalog with an authenticated manifest.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back the catalog up, online, into a new directory.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The new backup directory (must not exist).")
    var destination: String

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(mustExist: true)
        try output.perform { progress in
            let manifest = try Backup.create(from: catalog, at: destination, progress: progress)
            return [
                ("backup", destination), ("catalog_id", manifest.catalogID),
                ("schema_version", "\(manifest.schemaVersion)"), ("connections", "\(manifest.records.connections)"),
                ("history_versions", "\(manifest.records.history)"), ("data_bytes", "\(manifest.dataBytes)"),
                ("checksum", manifest.checksum),
            ]
        }
    }
}
