public import CatalogSealing
internal import CatalogStorage
internal import Logging

#if canImport(Glibc)
    internal import Glibc
#endif

extension Catalog {
    /// Opens the catalog at `path`, creating it (and, for a key file, the key) on first use.
    ///
    /// A catalog is created only where nothing is: a missing directory, an empty one, or an LMDB environment that
    /// holds no record at all. A directory holding other files is refused, and a data file that holds anything
    /// but has no readable metadata is `.integrityError`: it is never initialised again. With `mustExist` or
    /// `readOnly` nothing is created anywhere (no directory, no lock file, no key file).
    ///
    /// Order of checks, each before anything is written: a catalog written by a newer program is refused with
    /// `.catalogTooNew` naming both versions; a wrong master key with `.wrongKey`. Then an older schema is
    /// migrated in one write transaction, all or nothing (not when `readOnly`).
    ///
    /// - Throws: `CatalogError` — `.catalogTooNew`, `.wrongKey`, `.integrityError` (damaged metadata; details
    ///   `reason` = `damaged_metadata`), `.notFound` (no catalog and `mustExist` or `readOnly`; details `reason` =
    ///   `no_catalog`, `path`), `.alreadyExists` (a directory holding other files; `reason` = `not_empty`),
    ///   `.ioError` (files), `.invalidValue` (a bad key source).
    public static func open(
        at path: String, keySource: MasterKeySource, options: Options = Options()
    )
        throws(CatalogError) -> Catalog
    {
        let createsCatalog = !options.mustExist && !options.readOnly
        switch try inspectLocation(path, keySource: keySource) {
        case .environment:
            break
        case .missing, .empty:
            guard createsCatalog else { throw noCatalog(at: path) }
        case .notADirectory:
            // Opening reports that the path is not a directory; nothing is created.
            guard createsCatalog else { throw noCatalog(at: path) }
        case .otherFiles(let entries):
            guard createsCatalog else { throw noCatalog(at: path) }
            throw CatalogError(
                .alreadyExists,
                "'\(path)' is a directory that holds other files (\(entries.joined(separator: ", "))) and no catalog; "
                    + "a catalog is created only in a missing or empty directory: choose another path",
                details: ["path": path, "reason": "not_empty"])
        }
        var storageOptions = Environment.Options(databases: CatalogDatabases.allNames, mapSize: options.mapSize)
        storageOptions.createsDatabases = false
        storageOptions.readOnly = options.readOnly
        let environment: Environment
        do {
            environment = try Environment.open(
                at: path, options: storageOptions, logger: options.logger ?? Environment.silentLogger)
        } catch {
            throw CatalogError.storage(error, doing: "opening the catalog at '\(path)'")
        }
        let migrator = Migrator(options.migrations)
        let target = min(options.schemaVersion, migrator.latestVersion)
        let stored = try StoredMeta.read(from: environment)

        guard let stored else {
            guard createsCatalog else { throw noCatalog(at: environment.path) }
            return try create(
                in: environment, keySource: keySource, target: target, migrator: migrator, options: options)
        }
        let (master, keyring) = try unlock(
            stored, where: "at '\(environment.path)'", keySource: keySource, migrator: migrator, options: options)
        let version =
            options.readOnly
            ? stored.schemaVersion
            : try migrateIfOlder(
                environment, from: stored.schemaVersion, to: target, migrator: migrator, place: "the catalog",
                logger: options.logger)
        return try handle(
            environment: environment, catalogID: stored.catalogID, schemaVersion: version,
            keys: KeyState(master: master, wrappedKeyring: stored.wrappedKeyring, keyring: keyring), options: options)
    }

    /// The error for a location that holds no catalog where one must exist. The CLI adds how to create one.
    /// The checks every open of an existing catalog makes, in order, before anything is written: a catalog
    /// written by a newer program is refused naming both versions; a missing key file is not made up (a new
    /// random key could never open it, and would be left behind); a wrong master key fails on the check value.
    /// `place` says where the catalog is, for the messages ("at '/path'", "on etcd://…").
    static func unlock(
        _ stored: StoredMeta, where place: String, keySource: MasterKeySource, migrator: Migrator, options: Options
    ) throws(CatalogError) -> (MasterKey, Keyring) {
        try refuseNewer(
            stored, than: migrator.latestVersion, place: "the catalog \(place)",
            advice: "upgrade the program to open it")
        if case .keyFile(let keyPath) = keySource, access(keyPath, F_OK) != 0 {
            throw CatalogError(
                .wrongKey,
                "the key file '\(keyPath)' does not exist, and the catalog \(place) was created with another key; "
                    + "give the key file it was created with",
                details: ["key_file": keyPath])
        }
        let master = try resolve(keySource, parameters: stored.passphrase, options: options)
        return (master, try unlockKeyring(stored, with: master, doing: "opening the catalog \(place)"))
    }

    static func noCatalog(at path: String) -> CatalogError {
        CatalogError(.notFound, "there is no catalog at '\(path)'", details: ["path": path, "reason": "no_catalog"])
    }

    /// What `path` holds, a key file of the catalog's own inside the directory not counting as content.
    private static func inspectLocation(
        _ path: String, keySource: MasterKeySource
    ) throws(CatalogError)
        -> EnvironmentDirectory.State
    {
        var ignoring: Set<String> = []
        if case .keyFile(let keyPath) = keySource, let slash = keyPath.lastIndex(of: "/"),
            let keyDirectory = canonical(String(keyPath[..<slash])), keyDirectory == canonical(path)
        {
            ignoring.insert(String(keyPath[keyPath.index(after: slash)...]))
        }
        do {
            return try EnvironmentDirectory.inspect(path, ignoring: ignoring)
        } catch {
            throw CatalogError.storage(error, doing: "inspecting the catalog path '\(path)'")
        }
    }

    /// `realpath(path)`, or `nil` if it cannot be resolved.
    private static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path.isEmpty ? "/" : path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Makes a new catalog: every migration from version 0 and the key metadata, in one write transaction.
    private static func create(
        in environment: Environment, keySource: MasterKeySource, target: Int, migrator: Migrator, options: Options
    ) throws(CatalogError) -> Catalog {
        let identity = try NewCatalogIdentity(keySource: keySource, options: options)
        do {
            try environment.writeBlocking { tx in
                try migrator.migrate(tx, from: 0, to: target, at: identity.createdAt)
                let meta = try tx.createDatabase(CatalogDatabases.metaName)
                try tx.put(identity.catalogID, for: MetaKey.key(MetaKey.catalogID), in: meta)
                for entry in identity.metaEntries { try tx.put(entry.value, for: MetaKey.key(entry.key), in: meta) }
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "creating the catalog at '\(environment.path)'")
        }
        identity.logCreated(schema: target, to: options.logger)
        return try handle(
            environment: environment, catalogID: identity.catalogID, schemaVersion: target, keys: identity.keys,
            options: options, wasCreated: true)
    }

    static func resolve(
        _ source: MasterKeySource, parameters: PassphraseParameters?, options: Options
    )
        throws(CatalogError) -> MasterKey
    {
        do {
            return try source.resolve(
                passphraseParameters: parameters, environment: options.environment, logger: options.logger)
        } catch {
            throw CatalogError.sealing(error, doing: "loading the master key from the \(source)")
        }
    }
}

/// What `meta` says about an existing catalog, read from one snapshot before anything is written.
struct StoredMeta {
    var schemaVersion: Int
    var catalogID: [UInt8]
    var wrappedKeyring: [UInt8]
    var checkValue: [UInt8]
    var passphrase: PassphraseParameters?

    /// The `.integrityError` for damaged metadata (`reason` = `damaged_metadata`, `damage` = `what`), with the
    /// advice of the backend it was read from.
    static func damage(_ what: String, of catalog: String, path: String, advice: String) -> CatalogError {
        CatalogError(
            .integrityError, "the metadata of \(catalog) is damaged (\(what)); \(advice)",
            details: ["path": path, "reason": "damaged_metadata", "damage": what])
    }

    /// The stored metadata, or `nil` when the environment holds nothing at all (a new catalog may be made there).
    ///
    /// Metadata that is missing or incomplete in an environment that holds anything (any record of any database)
    /// is damage, never "no catalog": initialising over it would lose every sealed value for good.
    ///
    /// - Throws: `CatalogError` `.integrityError` with details `reason` = `damaged_metadata` and `damage`.
    static func read(from environment: Environment) throws(CatalogError) -> StoredMeta? {
        let damaged = { (what: String) in
            damage(
                what, of: "the catalog at '\(environment.path)'", path: environment.path,
                advice: "nothing was written. Restore the catalog from a verified backup, or salvage its records into "
                    + "a new catalog")
        }
        let meta: Database
        do {
            meta = try environment.database(CatalogDatabases.metaName)
        } catch {
            let empty: Bool
            do { empty = try environment.holdsNothing() } catch {
                throw CatalogError.wrapping(error, doing: "reading the catalog's metadata")
            }
            if empty { return nil }
            throw damaged("no meta database")
        }
        do {
            return try environment.read { tx -> StoredMeta? in try parse(copy tx, meta: meta, damaged: damaged) }
        } catch {
            throw CatalogError.wrapping(error, doing: "reading the catalog's metadata")
        }
    }

    /// Reads every field of `meta` from `tx`; a missing or unreadable one is `damaged(what)`.
    static func parse(_ tx: some StorageReading, meta: Keyspace, damaged: (String) -> CatalogError) throws -> StoredMeta
    {
        func value(_ key: String) throws -> [UInt8]? { try tx.get(MetaKey.key(key), in: meta) }
        guard let versionBytes = try value(MetaKey.schemaVersion) else { throw damaged("no schema version") }
        guard let version = BigEndian.uint32(versionBytes) else { throw damaged("unreadable schema version") }
        guard let catalogID = try value(MetaKey.catalogID), catalogID.count == 16 else {
            throw damaged("no catalog id")
        }
        guard let keyring = try value(MetaKey.keyring) else { throw damaged("no keyring") }
        guard let check = try value(MetaKey.checkValue) else { throw damaged("no check value") }
        var passphrase: PassphraseParameters?
        if let bytes = try value(MetaKey.passphrase) {
            passphrase = try PassphraseParameters(bytes: bytes)
        }
        return StoredMeta(
            schemaVersion: Int(version), catalogID: catalogID, wrappedKeyring: keyring, checkValue: check,
            passphrase: passphrase)
    }
}
