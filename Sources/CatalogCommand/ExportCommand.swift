import ArgumentParser
import CatalogBackup
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog export FILE`: every connection, one JSON line each, secrets still sealed.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export every connection to a portable file, secrets still sealed.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The new export file (must not exist).")
    var file: String

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(mustExist: true)
        try output.perform { progress in
            let result = try CatalogTransfer.export(catalog, to: file, progress: progress)
            return [("export", file), ("connections", "\(result.connections)"), ("bytes", "\(result.bytes)")]
        }
    }
}
