import ArgumentParser
import CatalogStorage

/// `catalog stats`: entries per database, map size and use, reader slots.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Print the catalog's storage statistics (creating the catalog on first use).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let environment = try CatalogFiles.open(at: global.catalogPath)
        do {
            print(try environment.stats())
        } catch {
            throw OperationFailed(message: "error: \(error)")
        }
    }
}
