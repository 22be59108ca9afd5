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
    /// `Backup.create`); schema migrations of an older catalog on a store are not built yet (`.unsupported`).
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
        guard stored.schemaVersion >= migrator.latestVersion || options.readOnly else {
            throw CatalogError(
                .unsupported,
                "the catalog on \(description) has schema version \(stored.schemaVersion); migrating a catalog on "
                    + "this store to version \(migrator.latestVersion) is not built yet",
                details: ["catalog_version": "\(stored.schemaVersion)", "program_version": "\(migrator.latestVersion)"])
        }
        var databases = databases
        if stored.schemaVersion < 2 {
            databases = CatalogDatabases(
                meta: databases.meta, connections: databases.connections, names: databases.names, history: nil)
        }
        if stored.schemaVersion < 3 { databases.changes = nil }
        return Catalog(
            path: description, catalogID: stored.catalogID, schemaVersion: stored.schemaVersion, backend: .store(store),
            databases: databases,
            keys: KeyState(master: master, wrappedKeyring: stored.wrappedKeyring, keyring: keyring),
            options: options, watcher: watcher, mirror: mirror)
    }

    /// Writes a new catalog's metadata in one commit; `nil` if another client created the catalog first.
    private static func create(
        on store: AnyTransactionalStore, databases: CatalogDatabases, keySource: MasterKeySource, migrator: Migrator,
        options: Options, watcher: (any KeyspaceWatching)?, mirror: (any MirroredReading)?
    ) throws(CatalogError) -> Catalog? {
        var parameters: PassphraseParameters?
        if case .passphrase = keySource { parameters = options.passphraseParameters ?? PassphraseParameters() }
        let master = try resolve(keySource, parameters: parameters, options: options)
        let rewrap = KeyringRewrap.initial(master: master, logger: options.logger)
        let catalogID = SecureRandom.bytes(count: 16)
        let now = Timestamp.nowMilliseconds()
        let meta = databases.meta
        let created: Bool
        do {
            created = try store.writeBlocking { writer in
                // Claiming the catalog id is the existence check: a client creating the catalog at the same moment
                // conflicts on it, runs this again and finds it taken.
                guard try writer.insert(catalogID, for: MetaKey.key(MetaKey.catalogID), in: meta) else { return false }
                func put(_ key: String, _ value: [UInt8]) throws {
                    try writer.put(value, for: MetaKey.key(key), in: meta)
                }
                try put(MetaKey.format, BigEndian.bytes(UInt32(1)))
                for migration in migrator.migrations {
                    try put(MetaKey.migration(migration.version), BigEndian.bytes(UInt64(bitPattern: now)))
                }
                try put(MetaKey.schemaVersion, BigEndian.bytes(UInt32(migrator.latestVersion)))
                try put(MetaKey.keyring, rewrap.wrappedKeyring)
                try put(MetaKey.checkValue, rewrap.checkValue)
                try put(MetaKey.createdAt, BigEndian.bytes(UInt64(bitPattern: now)))
                if let parameters { try put(MetaKey.passphrase, parameters.bytes) }
                return true
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "creating the catalog on \(store.description)")
        }
        guard created else { return nil }
        options.logger?.notice(
            "created a catalog",
            metadata: ["catalog_id": "\(Hex.encode(catalogID))", "schema": "\(migrator.latestVersion)"])
        return Catalog(
            path: store.description, catalogID: catalogID, schemaVersion: migrator.latestVersion,
            backend: .store(store),
            databases: databases,
            keys: KeyState(master: master, wrappedKeyring: rewrap.wrappedKeyring, keyring: rewrap.keyring),
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
            CatalogError(
                .integrityError,
                "the metadata of the catalog on \(store.description) is damaged (\(what)); nothing was written, and "
                    + "it is never initialised again",
                details: ["path": store.description, "reason": "damaged_metadata", "damage": what])
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
