internal import CatalogStorage

extension Catalog {
    /// Writes one snapshot of a catalog kept in a store into the backup format's data file: every entry of its
    /// keyspaces, read at one revision (writers on other nodes go on), is put into a new LMDB environment in the
    /// empty directory `scratchDirectory`, of which a compacted single-file copy is written to `destination`
    /// (`0600`, synced, renamed into place). Entries move unchanged: sealed values stay sealed, bound to the
    /// catalog id, not to the store, so the file restores into LMDB or into a store alike.
    ///
    /// The caller removes `scratchDirectory` afterwards.
    ///
    /// - Throws: `CatalogError` `.unsupported` on an LMDB catalog (`copyStorage` is its path), `.ioError`.
    package func copyStoreSnapshot(
        to destination: String, scratchDirectory: String, progress: ((Int) -> Void)? = nil
    )
        throws(CatalogError) -> (compacted: Bool, bytes: Int)
    {
        guard case .store(let store) = backend else {
            throw CatalogError(.unsupported, "an LMDB catalog is copied with copyStorage(to:)")
        }
        let names =
            [CatalogDatabases.metaName, CatalogDatabases.connectionsName, CatalogDatabases.namesName]
            + (databases.history == nil ? [] : [CatalogDatabases.historyName])
        do {
            let environment = try Environment.open(
                at: scratchDirectory, options: Environment.Options(databases: CatalogDatabases.allNames))
            try store.read { snapshot in
                // The snapshot's revision is fixed by its first read, so a body run again reads the same state.
                try environment.writeBlocking { tx in
                    var copied = 0
                    for name in names {
                        let source = try store.keyspace(name)
                        let target = try environment.database(name)
                        try snapshot.scan(source, in: .all) { key, value in
                            try tx.put(Array(value), for: RecordKey(Array(key)), in: target)
                            copied += 1
                            if copied % 1000 == 0 { progress?(copied) }
                            return true
                        }
                    }
                    progress?(copied)
                }
            }
            let result = try environment.copy(to: destination, compact: true)
            return (result.compacted, result.bytes)
        } catch {
            throw CatalogError.wrapping(error, doing: "copying the catalog on \(store.description) to '\(destination)'")
        }
    }
}
