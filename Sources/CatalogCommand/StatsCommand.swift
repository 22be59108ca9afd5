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
            rows += Self.storageRows(stats.storage)
            output.write(.resultSet(ResultSet(columns: ["stat", "value"], rows: rows)))
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
    }

    /// The `storage.*` rows, rendered from the figures in the words `CatalogStorageStats.description` uses.
    static func storageRows(_ storage: CatalogStorageStats) -> [[String]] {
        switch storage {
        case .lmdb(let lmdb):
            var rows = lmdb.entries.map { ["storage.entries_in_\($0.database)", "\($0.count)"] }
            rows.append(["storage.map_size", "\(lmdb.mapSize) bytes"])
            rows.append(["storage.map_used", "\(lmdb.usedBytes) bytes (\(lmdb.pageSize)-byte pages)"])
            rows.append(["storage.reader_slots_in_use", "\(lmdb.readersInUse) of \(lmdb.maxReaders)"])
            rows.append(["storage.last_transaction", "\(lmdb.lastTransactionID)"])
            return rows
        case .store(let description):
            return [["storage.store", description]]
        }
    }
}
