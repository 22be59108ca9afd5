internal import CatalogSealing
internal import CatalogStorage
internal import Logging

/// How an existing LMDB catalog is opened by the callers that hold its master key already: a backup's
/// single-file copy (read-only, no lock file), a live catalog for `catalog check` (read-only), a restore being
/// staged (migrated to the current schema). What differs is only what LMDB may do, whether an older schema
/// is migrated, and how messages name the catalog; the steps are `Catalog.openExisting(at:master:mode:logger:)`'s.
struct OpenMode {
    var singleFile = false
    var readOnly = true
    var withoutLocking = false
    var migrates = false
    /// How messages name the catalog: "the catalog copy '…'", "the catalog at '…'".
    var place: String
    /// Said when the location holds no catalog metadata.
    var noMetadata: String
    /// What to do with a catalog of a newer schema ("upgrade the program to read it").
    var newerAdvice: String

    /// A backup's data file: read-only, without LMDB's lock file, never migrated.
    static func snapshotFile(_ path: String) -> OpenMode {
        OpenMode(
            singleFile: true, withoutLocking: true, place: "the catalog copy '\(path)'",
            noMetadata: "'\(path)' holds no catalog metadata; it is not a catalog copy",
            newerAdvice: "upgrade the program to read it")
    }

    /// The live catalog directory, for `catalog check`: read-only, LMDB's lock file used as by any reader.
    static func check(_ path: String) -> OpenMode {
        OpenMode(
            place: "the catalog at '\(path)'",
            noMetadata: "'\(path)' holds no catalog metadata; it is not a catalog or its meta is lost",
            newerAdvice: "check it with a newer program")
    }

    /// A restore being staged: written, and an older schema migrated to the current one.
    static func restore(_ path: String) -> OpenMode {
        OpenMode(
            readOnly: false, migrates: true, place: "the backup (staged at '\(path)')",
            noMetadata: "'\(path)' holds no catalog metadata; the backup is not a catalog",
            newerAdvice: "restore it with a newer program")
    }
}

extension Catalog {
    /// Opens the existing catalog at `path` with `master` in `mode`: open the files, read `meta`, refuse a newer
    /// schema, check the master key, migrate if the mode does, and make the handle. Never creates a catalog.
    ///
    /// - Throws: `CatalogError` `.integrityError` if it holds no catalog metadata (or lacks a database its schema
    ///   needs), `.catalogTooNew`, `.wrongKey`, `.ioError`.
    static func openExisting(
        at path: String, master: MasterKey, mode: OpenMode, logger: Logger?
    ) throws(CatalogError) -> Catalog {
        var storageOptions = Environment.Options(databases: CatalogDatabases.allNames)
        storageOptions.createsDatabases = false
        storageOptions.readOnly = mode.readOnly
        storageOptions.withoutLocking = mode.withoutLocking
        if mode.singleFile { storageOptions.layout = .singleFile }
        let environment: Environment
        do {
            environment = try Environment.open(
                at: path, options: storageOptions, logger: logger ?? Environment.silentLogger)
        } catch {
            throw CatalogError.storage(error, doing: "opening \(mode.place)")
        }
        guard let stored = try StoredMeta.read(from: environment) else {
            throw CatalogError(.integrityError, mode.noMetadata)
        }
        let latest = SchemaHistory.currentVersion
        try refuseNewer(stored, than: latest, place: mode.place, advice: mode.newerAdvice)
        let keyring = try unlockKeyring(stored, with: master, doing: "opening \(mode.place)")
        var options = Options()
        options.logger = logger
        let version =
            mode.migrates
            ? try migrateIfOlder(
                environment, from: stored.schemaVersion, to: latest, migrator: Migrator(SchemaHistory.migrations),
                place: mode.place, logger: logger)
            : stored.schemaVersion
        return try handle(
            environment: environment, catalogID: stored.catalogID, schemaVersion: version,
            keys: KeyState(master: master, wrappedKeyring: stored.wrappedKeyring, keyring: keyring), options: options)
    }

    /// Refuses a catalog written by a newer program, naming both versions.
    static func refuseNewer(_ stored: StoredMeta, than latest: Int, place: String, advice: String) throws(CatalogError)
    {
        guard stored.schemaVersion > latest else { return }
        throw CatalogError(
            .catalogTooNew,
            "\(place) has schema version \(stored.schemaVersion), but this program knows versions up to \(latest); "
                + advice,
            details: ["catalog_version": "\(stored.schemaVersion)", "program_version": "\(latest)"])
    }

    /// The keyring `meta` holds, after checking `master` against the check value (`.wrongKey` if it fails).
    static func unlockKeyring(
        _ stored: StoredMeta, with master: MasterKey, doing step: String
    ) throws(CatalogError)
        -> Keyring
    {
        do {
            try master.verify(checkValue: stored.checkValue)
            return try Keyring.unwrap(stored.wrappedKeyring, with: master)
        } catch {
            throw CatalogError.sealing(error, doing: step)
        }
    }

    /// Migrates the catalog in `environment` from schema `current` to `target` in one write transaction, all or
    /// nothing, when it is older; the version it is at afterwards.
    static func migrateIfOlder(
        _ environment: Environment, from current: Int, to target: Int, migrator: Migrator, place: String,
        logger: Logger?
    ) throws(CatalogError) -> Int {
        guard current < target else { return current }
        do {
            try environment.writeBlocking { tx in
                try migrator.migrate(tx, from: current, to: target, at: Timestamp.nowMilliseconds())
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "migrating \(place) from schema \(current) to \(target)")
        }
        logger?.notice("migrated the catalog schema", metadata: ["from": "\(current)", "to": "\(target)"])
        return target
    }

    /// The handle on an LMDB catalog of schema `schemaVersion`, with the databases that schema has.
    static func handle(
        environment: Environment, catalogID: [UInt8], schemaVersion: Int, keys: KeyState, options: Options,
        wasCreated: Bool = false
    ) throws(CatalogError) -> Catalog {
        do {
            let databases = CatalogDatabases(
                meta: try environment.database(CatalogDatabases.metaName),
                connections: try environment.database(CatalogDatabases.connectionsName),
                names: try environment.database(CatalogDatabases.namesName),
                history: schemaVersion >= 2 ? try environment.database(CatalogDatabases.historyName) : nil,
                changes: schemaVersion >= 3 ? try environment.database(CatalogDatabases.changesName) : nil)
            return Catalog(
                path: environment.path, catalogID: catalogID, schemaVersion: schemaVersion,
                backend: .lmdb(environment), databases: databases, keys: keys, options: options,
                wasCreatedByOpen: wasCreated)
        } catch {
            throw CatalogError(
                .integrityError,
                "the catalog at '\(environment.path)' is missing a database its schema version \(schemaVersion) needs; "
                    + "restore it from a verified backup", underlying: error)
        }
    }
}
