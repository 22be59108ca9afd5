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

/// What a migration may touch: the write transaction it runs in.
package struct MigrationContext {
    let tx: WriteTransaction

    /// Creates (or opens) a named database as part of the migration.
    package func createDatabase(_ name: String) throws {
        _ = try tx.createDatabase(name)
    }

    /// Stores a value in `meta`, for migrations that record something there.
    package func putMeta(_ key: String, _ value: [UInt8]) throws {
        let meta = try tx.createDatabase(CatalogDatabases.metaName)
        try tx.put(value, for: MetaKey.key(key), in: meta)
    }
}
