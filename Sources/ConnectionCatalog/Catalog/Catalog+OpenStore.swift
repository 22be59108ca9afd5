public import CatalogSealing
public import CatalogStorage
internal import Logging

#if canImport(Glibc)
    internal import Glibc
#endif

extension Catalog {
    /// The keyspaces a catalog uses on another store: open the store with exactly these.
    public static var storeKeyspaces: [String] { CatalogDatabases.allNames }

    /// The keyspaces a node-local read cache of a store should hold for `read` (DESC, SHOW) to be served from
    /// memory: the metadata, the records and the name index (not history or the change log, which grow).
    public static var readCacheKeyspaces: [String] {
        [CatalogDatabases.metaName, CatalogDatabases.connectionsName, CatalogDatabases.namesName]
    }

    /// Opens the catalog kept in `store` (etcd, say), creating its metadata on first use: catalog id, keyring,
    /// check value and schema version, all in one commit.
    ///
    /// The rules are those of `open(at:keySource:options:)`: a store that holds nothing is a new catalog; one
    /// whose `meta` is missing or incomplete while it holds anything is `.integrityError` (details `reason` =
    /// `damaged_metadata`) and is never initialised again; a catalog written by a newer program is
    /// `.catalogTooNew`; a wrong master key, or a key file that does not exist for an existing catalog, is
    /// `.wrongKey`; each before anything is written. Two clients creating the same catalog at once make one
    /// catalog: the loser of the race opens the winner's (and needs the winner's key).
    ///
    /// What needs the LMDB files (check, salvage, storage statistics) throws `.unsupported` on such a catalog;
    /// rotate-key, import, export and backup run in bounded steps (`rotateDataKey`, `importConnections`,
    /// `Backup.create`); an older schema is migrated at open in one commit (`migrate(on:meta:to:migrator:)`).
    ///
    /// - Parameters:
    ///   - store: a store opened with `storeKeyspaces`.
    ///   - description: how messages name the store (`etcd://10.0.0.1:2379/sales`); it becomes `path`.
    ///   - keySource: where the master key comes from, as for an LMDB catalog.
    ///   - options: as for `open(at:keySource:options:)`; the map size does not apply.
    /// - Throws: `CatalogError` — as `open(at:)`, and `.invalidValue` if the store lacks a keyspace, `.ioError` or
    ///   `.conflict` for the store's own failures.
    public static func open(
        store: some TransactionalStore, description: String, keySource: MasterKeySource, options: Options = Options()
    ) throws(CatalogError) -> Catalog {
        let erased = AnyTransactionalStore(store, description: description)
        let watcher = store as? any KeyspaceWatching
        let mirror = store as? any MirroredReading
        let databases: CatalogDatabases
        do {
            databases = CatalogDatabases(
                meta: try erased.keyspace(CatalogDatabases.metaName),
                connections: try erased.keyspace(CatalogDatabases.connectionsName),
                names: try erased.keyspace(CatalogDatabases.namesName),
                history: try erased.keyspace(CatalogDatabases.historyName),
                changes: try erased.keyspace(CatalogDatabases.changesName))
        } catch {
            throw CatalogError(
                .invalidValue,
                "the store \(description) was not opened with the catalog's keyspaces "
                    + "(\(storeKeyspaces.joined(separator: ", "))): \(error.message)",
                underlying: error)
        }
        let migrator = Migrator(options.migrations)
        let createsCatalog = !options.mustExist && !options.readOnly
        // At most twice: a lost race to create the catalog is followed by opening the one that won.
        for _ in 0..<2 {
            guard let stored = try StoredMeta.read(from: erased, databases: databases) else {
                guard createsCatalog else { throw noCatalog(at: description) }
                if let created = try create(
                    on: erased, databases: databases, keySource: keySource, migrator: migrator, options: options,
                    watcher: watcher, mirror: mirror)
                {
                    return created
                }
                continue
            }
            return try openExisting(
                stored, on: erased, databases: databases, keySource: keySource, migrator: migrator, options: options,
                watcher: watcher, mirror: mirror)
        }
        throw CatalogError(
            .conflict, "the catalog on \(description) was being created by another client; open it again")
    }

    private static func openExisting(
        _ stored: StoredMeta, on store: AnyTransactionalStore, databases: CatalogDatabases, keySource: MasterKeySource,
        migrator: Migrator, options: Options, watcher: (any KeyspaceWatching)?, mirror: (any MirroredReading)?
    ) throws(CatalogError) -> Catalog {
        let description = store.description
        let (master, keyring) = try unlock(
            stored, where: "on \(description)", keySource: keySource, migrator: migrator, options: options)
        let target = min(options.schemaVersion, migrator.latestVersion)
        var version = stored.schemaVersion
        if version < target && !options.readOnly {
            try migrate(on: store, meta: databases.meta, to: target, migrator: migrator)
            options.logger?.notice(
                "migrated the catalog schema", metadata: ["from": "\(stored.schemaVersion)", "to": "\(target)"])
            version = target
        }
        return Catalog(
            path: description, catalogID: stored.catalogID, schemaVersion: version, backend: .store(store),
            databases: databases.inSchema(version),
            keys: KeyState(master: master, wrappedKeyring: stored.wrappedKeyring, keyring: keyring),
            options: options, watcher: watcher, mirror: mirror)
    }

    /// Brings the catalog on `store` to schema `target` in one commit. Every migration so far only adds a
    /// keyspace, which on a store is a key prefix, so the commit writes a few `meta` keys whatever the size of the
    /// catalog: atomic, and bounded. The stored version is read inside the write, so two clients migrating at
    /// once conflict there and the second finds the work done. (A migration that rewrote records would copy them
    /// into a new generation in bounded steps and switch the pointer, as import and restore do; none does yet.)
    private static func migrate(
        on store: AnyTransactionalStore, meta: Keyspace, to target: Int, migrator: Migrator
    ) throws(CatalogError) {
        do {
            try store.writeBlocking { writer in
                guard let bytes = try writer.get(MetaKey.key(MetaKey.schemaVersion), in: meta), bytes.count == 4
                else { return }
                let current = Int(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                guard current < target else { return }
                try migrator.migrate(
                    copy writer, meta: meta, from: current, to: target, at: Timestamp.nowMilliseconds())
            }
        } catch {
            throw CatalogError.wrapping(
                error, doing: "migrating the catalog on \(store.description) to schema \(target)")
        }
    }

    /// Writes a new catalog's metadata in one commit; `nil` if another client created the catalog first.
    private static func create(
        on store: AnyTransactionalStore, databases: CatalogDatabases, keySource: MasterKeySource, migrator: Migrator,
        options: Options, watcher: (any KeyspaceWatching)?, mirror: (any MirroredReading)?
    ) throws(CatalogError) -> Catalog? {
        let identity = try NewCatalogIdentity(keySource: keySource, options: options)
        let meta = databases.meta
        let target = min(options.schemaVersion, migrator.latestVersion)
        let created: Bool
        do {
            created = try store.writeBlocking { writer in
                // Claiming the catalog id is the existence check: a client creating the catalog at the same moment
                // conflicts on it, runs this again and finds it taken.
                guard try writer.insert(identity.catalogID, for: MetaKey.key(MetaKey.catalogID), in: meta) else {
                    return false
                }
                func put(_ key: String, _ value: [UInt8]) throws {
                    try writer.put(value, for: MetaKey.key(key), in: meta)
                }
                for migration in migrator.migrations where migration.version <= target {
                    try put(
                        MetaKey.migration(migration.version), BigEndian.bytes(UInt64(bitPattern: identity.createdAt)))
                }
                try put(MetaKey.schemaVersion, BigEndian.bytes(UInt32(target)))
                for entry in identity.metaEntries { try put(entry.key, entry.value) }
                return true
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "creating the catalog on \(store.description)")
        }
        guard created else { return nil }
        identity.logCreated(schema: target, to: options.logger)
        return Catalog(
            path: store.description, catalogID: identity.catalogID, schemaVersion: target, backend: .store(store),
            databases: databases.inSchema(target), keys: identity.keys,
            options: options, wasCreatedByOpen: true, watcher: watcher, mirror: mirror)
    }
}

extension StoredMeta {
    /// The metadata of the catalog in `store`, or `nil` when the store holds nothing of it at all.
    ///
    /// - Throws: `CatalogError` `.integrityError` (`reason` = `damaged_metadata`) when `meta` is missing or
    ///   incomplete while the store holds anything.
    static func read(from store: AnyTransactionalStore, databases: CatalogDatabases) throws(CatalogError) -> StoredMeta?
    {
        let damaged = { (what: String) in
            damage(
                what, of: "the catalog on \(store.description)", path: store.description,
                advice: "nothing was written, and it is never initialised again")
        }
        do {
            return try store.read { snapshot -> StoredMeta? in
                if try snapshot.count(of: databases.meta) == 0 {
                    var records = 0
                    for keyspace in [databases.connections, databases.names] + (databases.history.map { [$0] } ?? []) {
                        records += try snapshot.count(of: keyspace)
                    }
                    if records == 0 { return nil }
                    throw damaged("no metadata beside \(records) records")
                }
                return try parse(copy snapshot, meta: databases.meta, damaged: damaged)
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "reading the catalog's metadata")
        }
    }
}

extension CatalogDatabases {
    /// The keyspaces a catalog of schema `version` has: no history before 2, no change log before 3.
    func inSchema(_ version: Int) -> CatalogDatabases {
        var databases = self
        if version < 2 {
            databases = CatalogDatabases(meta: meta, connections: connections, names: names, history: nil)
        }
        if version < 3 { databases.changes = nil }
        return databases
    }
}
