public import ArgumentParser
import CatalogBackup
import CatalogSQL
public import ConnectionCatalog
import Foundation

extension ImportConflictPolicy: ExpressibleByArgument {}

/// `catalog import FILE`: all or nothing, secrets re-sealed under this catalog's keys (on etcd: a new
/// generation switched in at once).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import an export file into the catalog, all or nothing.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The export file.")
    var file: String

    @Option(help: "The master key file of the catalog that exported the file (default: this catalog's key).")
    var sourceKeyFile: String?

    @Option(help: "What to do with a connection whose id or name exists: fail, skip or replace.")
    var onConflict: ImportConflictPolicy = .fail

    func run() throws {
        let output = Output(format: global.format)
        let opener = CatalogOpener(options: global, output: output)
        let catalog = try opener.open()
        let source = try sourceKeyFile.map { try opener.existingMasterKey(file: $0, allowingStore: true) }
        try output.perform { progress in
            let result = try CatalogTransfer.importFile(
                file, into: catalog, sourceMaster: source, onConflict: onConflict, progress: progress)
            return [
                ("import", file), ("imported", "\(result.imported)"), ("replaced", "\(result.replaced)"),
                ("skipped", "\(result.skipped)"),
            ]
        }
    }
}
