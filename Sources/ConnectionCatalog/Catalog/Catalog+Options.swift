package import CatalogSealing
public import Logging

extension Catalog {
    /// How a catalog is opened.
    public struct Options: Sendable {
        /// Who creates and changes connections through this handle (DESC's `creator`).
        package var creator: String = "catalog"
        /// The initial LMDB map size; the map grows by itself.
        package var mapSize: Int = 1 << 30
        /// Refuses to create a catalog where none exists; nothing is left behind (`.notFound`).
        public var mustExist = false
        /// Opens without writing anything: an older schema is not migrated (`schemaVersion` is the stored one),
        /// no catalog is created, and every write fails. For commands that only read (`catalog stats`).
        package var readOnly = false
        /// Argon2id limits for a new catalog keyed by a passphrase (MODERATE when `nil`).
        package var passphraseParameters: PassphraseParameters?
        /// The environment to read `CATALOG_MASTER_KEY` from (the process's when `nil`).
        package var environment: [String: String]?
        /// Where the catalog logs events and ids (never values). Nothing is logged by default.
        public var logger: Logger?
        /// How many entries the LMDB change log keeps (`Catalog.changes(after:)`): appending one deletes the one
        /// this many before it; 0 keeps every entry. A follower that falls further behind gets a `.reset`.
        /// On etcd the log is bounded by compaction instead (docs/scale-out.md).
        package var changeLogRetention = 100_000

        /// The schema version to create or migrate to. Only the fixture writer sets it, to make catalogs of
        /// earlier versions with this program's own code.
        package var schemaVersion: Int = SchemaHistory.currentVersion
        /// The migrations to run; tests replace them to make a migration fail half-way.
        package var migrations: [Migration] = SchemaHistory.migrations

        public init(creator: String = "catalog") { self.creator = creator }
    }
}
