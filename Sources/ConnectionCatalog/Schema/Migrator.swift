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
        try migrate(MigrationContext(target: .lmdb(tx)), from: current, to: target, at: time)
    }

    /// Applies the migrations like `migrate(_:from:to:at:)` in a write on another store, whose `meta` is `meta`.
    func migrate(
        _ writer: AnyStorageWriting, meta: Keyspace, from current: Int, to target: Int, at time: Int64
    ) throws {
        try migrate(MigrationContext(target: .store(writer, meta: meta)), from: current, to: target, at: time)
    }

    private func migrate(_ context: MigrationContext, from current: Int, to target: Int, at time: Int64) throws {
        for migration in migrations where migration.version > current && migration.version <= target {
            try migration.body(context)
            try context.putMeta(MetaKey.migration(migration.version), BigEndian.bytes(UInt64(bitPattern: time)))
        }
        try context.putMeta(MetaKey.schemaVersion, BigEndian.bytes(UInt32(target)))
    }
}
