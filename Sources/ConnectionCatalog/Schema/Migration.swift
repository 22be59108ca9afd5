internal import CatalogStorage

/// One step of the on-disk schema: what turns a catalog of version `version - 1` into `version`.
///
/// Migrations run in order inside one write transaction (all or nothing) and each is recorded in `meta`
/// as `migration/<version>`. A new catalog is made by running every migration from version 0.
package struct Migration: Sendable {
    /// The schema version this migration produces.
    package let version: Int
    /// What it changes, for logs and `catalog stats`.
    package let summary: String
    let body: @Sendable (MigrationContext) throws -> Void

    package init(version: Int, summary: String, body: @escaping @Sendable (MigrationContext) throws -> Void) {
        self.version = version
        self.summary = summary
        self.body = body
    }
}

/// What a migration may touch: the write it runs in, on LMDB or on another store.
///
/// On a store (etcd) a keyspace is a key prefix declared when the store opened, so creating one writes nothing:
/// every migration so far then changes only `meta` (schema 4 leaves the name index to be rewritten as connections
/// are written), and the whole migration is one small commit, atomic and bounded whatever the catalog's size.
package struct MigrationContext {
    enum Target {
        case lmdb(WriteTransaction)
        case store(AnyStorageWriting, meta: Keyspace)
    }

    let target: Target

    /// Creates (or opens) a named database as part of the migration; nothing to do on a store.
    package func createDatabase(_ name: String) throws {
        guard case .lmdb(let tx) = target else { return }
        _ = try tx.createDatabase(name)
    }

    /// Adds each connection's listing to its name index entry (schema 4). On LMDB every entry of the id alone is
    /// rewritten in the migration's transaction when the record it names decodes and is listed under that name
    /// (a damaged record keeps its entry as it was, for `catalog check` to report). On a store nothing is
    /// written, so the migration stays one small commit: an entry gains its listing when its connection is next
    /// written, and readers take both forms.
    package func addListingsToNameIndex() throws {
        guard case .lmdb(let tx) = target else { return }
        let connections = try tx.createDatabase(CatalogDatabases.connectionsName)
        let names = try tx.createDatabase(CatalogDatabases.namesName)
        try tx.scan(connections, in: .all) { key, value in
            guard let connection = try? ConnectionRecord.decode(value), key.elementsEqual(connection.id.bytes) else {
                return true
            }
            let nameKey = try RecordKey(CatalogKeys.nameKey(workspace: connection.workspace, name: connection.name))
            let pointsHere = try nameKey.bytes.withUnsafeBytes { name in
                try tx.withValue(forKeyBytes: name, in: names) { $0.map { $0.elementsEqual(key) } ?? false }
            }
            if pointsHere {
                try tx.put(
                    NameIndexEntry.value(for: connection, schemaVersion: NameIndexEntry.firstListingSchema),
                    for: nameKey, in: names)
            }
            return true
        }
    }

    /// Stores a value in `meta`, for migrations that record something there.
    package func putMeta(_ key: String, _ value: [UInt8]) throws {
        switch target {
        case .lmdb(let tx):
            let meta = try tx.createDatabase(CatalogDatabases.metaName)
            try tx.put(value, for: MetaKey.key(key), in: meta)
        case .store(let writer, let meta):
            try writer.put(value, for: MetaKey.key(key), in: meta)
        }
    }
}
