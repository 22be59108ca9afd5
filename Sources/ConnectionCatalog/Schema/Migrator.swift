internal import CatalogStorage

/// Runs the migrations between two schema versions inside the caller's write transaction and records each.
struct Migrator {
    let migrations: [Migration]

    init(_ migrations: [Migration]) {
        precondition(
            migrations.map(\.version) == Array(1...max(1, migrations.count)).prefix(migrations.count).map { $0 },
            "migrations must be numbered 1, 2, 3, … in order")
        self.migrations = migrations
    }

    var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration after `current` up to `target`, then stores `target` as the schema version.
    func migrate(_ tx: WriteTransaction, from current: Int, to target: Int, at time: Int64) throws {
        let context = MigrationContext(tx: tx)
        for migration in migrations where migration.version > current && migration.version <= target {
            try migration.body(context)
            try context.putMeta(MetaKey.migration(migration.version), BigEndian.bytes(UInt64(bitPattern: time)))
        }
        try context.putMeta(MetaKey.schemaVersion, BigEndian.bytes(UInt32(target)))
    }
}
