import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog init`: creates the catalog (and its key file) if it does not exist, and says where.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the catalog if it does not exist.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(mustExist: false)
        output.write(.ok(notices: ["catalog ready at \(catalog.path) (schema version \(catalog.schemaVersion))"]))
    }
}
