import ArgumentParser
import CatalogBackup
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog export FILE [--workspace NAME]`: every connection (or one workspace's), one JSON line each, secrets
/// still sealed.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Export every connection (with --workspace, only that workspace's) to a portable file, secrets still sealed."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The new export file (must not exist).")
    var file: String

    func run() throws {
        let output = Output(format: global.format)
        let opener = CatalogOpener(options: global, output: output)
        // Without --workspace every workspace is exported; with it, only that one.
        let workspace = try global.workspaceOption.map { _ in try opener.workspace() }
        let catalog = try opener.open(mustExist: true)
        try output.perform { progress in
            let result = try CatalogTransfer.export(catalog, to: file, workspace: workspace, progress: progress)
            return [
                ("export", file), ("workspace", workspace?.rawValue ?? "(all)"),
                ("connections", "\(result.connections)"), ("bytes", "\(result.bytes)"),
            ]
        }
    }
}
