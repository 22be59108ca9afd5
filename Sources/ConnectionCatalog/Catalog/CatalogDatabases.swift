internal import CatalogStorage

/// The named databases of a catalog and what each holds (see docs/format.md).
struct CatalogDatabases: Sendable {
    static let metaName = "meta"
    static let connectionsName = "connections"
    static let namesName = "names"
    static let historyName = "history"
    static let changesName = "changes"
    /// Every database some schema version uses, for opening the environment.
    static let allNames = [metaName, connectionsName, namesName, historyName, changesName]

    /// Format and schema version, catalog id, keyring, check value, settings, applied migrations.
    let meta: Database
    /// Current records: 16-byte id → encoded record.
    let connections: Database
    /// The name index: workspace | 0x00 | name → 16-byte id.
    let names: Database
    /// Earlier versions (schema 2 and later): id | version (8 bytes, big-endian) → encoded record.
    let history: Database?
    /// The change log (schema 3 and later, `ChangeLog`): on LMDB, sequence (8 bytes, big-endian) → entry; on
    /// another store, a unique key ordered by the store's commit revision. `nil` where no change is logged.
    var changes: Database? = nil
}
