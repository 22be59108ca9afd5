/// The schema versions this program knows, oldest first. Append; never edit a shipped migration.
///
/// - 1: `meta`, `connections` (records by id) and `names` (the name index).
/// - 2: `history`: every change keeps the record's previous version, keyed by id and version.
/// - 3: `changes`: the change log the change feed reads (`Catalog.changes(after:)`), written with each change.
/// - 4: a name index entry carries what SHOW lists of its connection (`NameIndexEntry`), so SHOW reads no record.
package enum SchemaHistory {
    /// The schema version this program writes.
    package static let currentVersion = 4

    package static let migrations: [Migration] = [
        Migration(version: 1, summary: "meta, connections and the name index") { context in
            try context.createDatabase(CatalogDatabases.metaName)
            try context.createDatabase(CatalogDatabases.connectionsName)
            try context.createDatabase(CatalogDatabases.namesName)
        },
        Migration(version: 2, summary: "history of earlier record versions") { context in
            try context.createDatabase(CatalogDatabases.historyName)
        },
        Migration(version: 3, summary: "the change log of the change feed") { context in
            try context.createDatabase(CatalogDatabases.changesName)
        },
        Migration(version: 4, summary: "the name index lists each connection") { context in
            try context.addListingsToNameIndex()
        },
    ]
}
