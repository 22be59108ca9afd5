internal import CatalogSealing
internal import CatalogStorage

/// What `catalog stats` shows: the catalog's identity and size.
package struct CatalogStats: Sendable, CustomStringConvertible {
    package var path: String
    package var catalogID: String
    package var schemaVersion: Int
    package var connections: Int
    package var historyVersions: Int
    package var dataKeys: [UInt32]
    /// The storage layer's figures: entries per database, map size and use, reader slots (LMDB), or what the
    /// store is.
    package var storage: CatalogStorageStats

    package var description: String {
        """
        catalog: \(path)
        catalog id: \(catalogID)
        schema version: \(schemaVersion)
        connections: \(connections)
        history versions: \(historyVersions)
        data keys: \(dataKeys.map(String.init).joined(separator: ", "))
        \(storage)
        """
    }
}

extension Catalog {
    /// The catalog's statistics, from one snapshot.
    package func stats() throws(CatalogError) -> CatalogStats {
        let databases = self.databases
        func counts(_ tx: some StorageReading) throws -> (Int, Int) {
            (try tx.count(of: databases.connections), try databases.history.map { try tx.count(of: $0) } ?? 0)
        }
        do {
            let connections: Int
            let history: Int
            let storage: CatalogStorageStats
            switch backend {
            case .lmdb(let environment):
                (connections, history) = try environment.read { tx in try counts(copy tx) }
                storage = .lmdb(LMDBStorageStats(try maintenance.stats()))
            case .store(let store):
                (connections, history) = try store.read { snapshot in try counts(copy snapshot) }
                storage = .store(description: store.description)
            }
            return CatalogStats(
                path: path, catalogID: catalogIDHex, schemaVersion: schemaVersion, connections: connections,
                historyVersions: history, dataKeys: keys.sealer.keyring.keyIDs, storage: storage)
        } catch {
            throw CatalogError.wrapping(error, doing: "reading the catalog's statistics")
        }
    }
}

extension Catalog {
    /// What only the storage backend can do (statistics, hot copies), asked for by `stats()` and backup; the
    /// catalog's reads and writes never use it.
    var maintenance: any StorageMaintenance {
        get throws(CatalogError) { try environment }
    }

    /// The storage transactions this process has committed through this catalog (a group commit counts once):
    /// how a service sees that concurrent writes share commits.
    /// Always 0 on another store, which does not group commits.
    package var committedStorageTransactions: Int {
        switch backend {
        case .lmdb(let environment): environment.committedTransactions
        case .store: 0
        }
    }
}
