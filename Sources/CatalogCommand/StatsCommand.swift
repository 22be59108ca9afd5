import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog stats`: the catalog's identity, size, keys and storage use.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Print the catalog's statistics.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(readOnly: true)
        do {
            let stats = try catalog.stats()
            var rows: [[String]] = [
                ["path", stats.path], ["catalog_id", stats.catalogID], ["schema_version", "\(stats.schemaVersion)"],
                ["connections", "\(stats.connections)"], ["history_versions", "\(stats.historyVersions)"],
                ["data_keys", stats.dataKeys.map(String.init).joined(separator: ",")],
            ]
            for line in stats.storage.split(separator: "\n") where !line.hasPrefix("path:") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 {
                    rows.append(["storage." + parts[0].replacingOccurrences(of: " ", with: "_"), parts[1]])
                }
            }
            output.write(.resultSet(ResultSet(columns: ["stat", "value"], rows: rows)))
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
    }
}
