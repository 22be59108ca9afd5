internal import CatalogSealing
package import CatalogStorage
internal import Logging
internal import Synchronization

extension Catalog {
    /// How many times an import on a store starts again from a new base when a write it depends on was
    /// committed meanwhile.
    static let importAttempts = 3
    /// How many times an import catches up with writes it does not depend on before it starts again.
    static let importCatchUps = 8
    private static let catchUps = Atomic<Int>(0)
    /// Catch-ups made by imports in this process so far (tests check that the path ran).
    package static var importCatchUpCount: Int { catchUps.load(ordering: .relaxed) }

    /// Runs an import on a store with bounded commits: `body` stages the import over the live catalog as of one
    /// moment (the replacement's base, read into memory once: `PreloadedState`); that catalog with the import
    /// applied is written as a new generation, a bounded batch per commit, and switched in by one commit that
    /// also checks nothing was committed to the live catalog since the base.
    ///
    /// If something was, the import **catches up**: the entries changed since the base are copied into the new
    /// generation (the base moves forward) and the switch is tried again, as long as none of them is an entry
    /// the import read or wrote; if one is (a connection of the same name created meanwhile, a rotated keyring),
    /// the import starts again from a new base, up to `importAttempts` times. No concurrent write is lost, and
    /// writers are never blocked.
    ///
    /// Killed at any point, the live catalog is untouched (before the switch) or whole (after it); the
    /// generation a killed import left is removed by the next import or restore.
    func importInGeneration<R>(
        on store: AnyTransactionalStore, progress: ((Int, Int) -> Void)?,
        _ body: (StagedWrite<AnyStorageReading>) throws -> R
    ) throws -> R {
        guard let replaceable = store.replaceable else { throw Self.boundedWorkUnsupported(on: store, doing: "import") }
        var attempt = 1
        while true {
            let replacement = try replaceable.beginReplacement()
            do {
                var state: PreloadedState?
                try replacement.readBase { base in state = try PreloadedState(base, keyspaces: databases.all) }
                guard let state else { preconditionFailure("readBase returned without running its body") }
                let builder = ChangeSetBuilder()
                let result = try builder.stage(over: AnyStorageReading(state)) { staged in try body(staged) }
                let changes = builder.changeSet()
                try copyGeneration(from: state, applying: changes, into: replacement, progress: progress)
                FailPoint.reach("import-before-switch")
                if try catchUpAndPublish(replacement, base: state, importing: changes) { return result }
            } catch let error as StorageError where error.code == .conflict && attempt < Self.importAttempts {
                // Another import or restore switched or removed this one: start again.
            } catch {
                replacement.abandon()
                throw error
            }
            replacement.abandon()
            guard attempt < Self.importAttempts else {
                throw CatalogError(
                    .conflict,
                    "other clients kept changing connections this import reads (\(attempt) tries); nothing was "
                        + "imported — import again when they pause", details: ["reason": "kept_changing"])
            }
            logger?.notice("the catalog changed under the import; importing again", metadata: ["attempt": "\(attempt)"])
            attempt += 1
        }
    }

    /// Publishes `replacement`, first copying into it what other clients committed since its base, as long as
    /// none of it touches what the import read or wrote; `false` when the import must start again.
    private func catchUpAndPublish(
        _ replacement: any StoreReplacement, base: PreloadedState, importing changes: ChangeSet
    ) throws -> Bool {
        var touched = Set<[UInt8]>()
        var scanned = Set<UInt32>()
        func slot(_ keyspace: Keyspace, _ key: [UInt8]) -> [UInt8] { BigEndian.bytes(keyspace.handle) + key }
        for read in changes.reads { touched.insert(slot(read.keyspace, read.key)) }
        for write in changes.writes { touched.insert(slot(write.keyspace, write.key)) }
        for rangeRead in changes.rangeReads { scanned.insert(rangeRead.keyspace.handle) }
        // The keys of the live catalog (not of the new generation: the import's own writes are not live).
        var keys: [UInt32: Set<[UInt8]>] = [:]
        for keyspace in databases.all { keys[keyspace.handle] = Set(base.all(in: keyspace).map(\.key)) }
        var carried: [ReplacementChange] = []
        for catchUp in 0...Self.importCatchUps {
            // What the last catch-up found rides in the switching Txn itself, when it fits.
            if try replacement.publish(requireUnchangedBase: true, carrying: carried) { return true }
            guard catchUp < Self.importCatchUps else { return false }
            let moved = try replacement.advanceBase(keyspaces: databases.all) { keys[$0.handle] ?? [] }
            if moved.contains(where: {
                touched.contains(slot($0.keyspace, $0.key)) || scanned.contains($0.keyspace.handle)
            }) {
                return false
            }
            // A refused switch wrote nothing, so what it carried is carried again (its newest values).
            var byKey: [[UInt8]: ReplacementChange] = [:]
            for change in carried + moved { byKey[slot(change.keyspace, change.key)] = change }
            carried = Array(byKey.values)
            for change in moved {
                if change.value == nil {
                    keys[change.keyspace.handle]?.remove(change.key)
                } else {
                    keys[change.keyspace.handle]?.insert(change.key)
                }
            }
            Self.catchUps.add(1, ordering: .relaxed)
            logger?.info("the import caught up with other clients' writes", metadata: ["entries": "\(moved.count)"])
        }
        return false
    }

    /// Writes every entry of `base` (with `changes` applied over it) into `replacement`, in bounded batches.
    private func copyGeneration(
        from base: PreloadedState, applying changes: ChangeSet, into replacement: any StoreReplacement,
        progress: ((Int, Int) -> Void)?
    ) throws {
        var overrides: [UInt32: [[UInt8]: [UInt8]?]] = [:]
        for write in changes.writes { overrides[write.keyspace.handle, default: [:]][write.key] = .some(write.value) }
        var pending: [ReplacementEntry] = []
        var written = 0
        func flush(_ force: Bool) throws {
            guard pending.count >= 4 * replacement.entriesPerCommit || (force && !pending.isEmpty) else { return }
            try replacement.put(pending)
            written += pending.count
            pending.removeAll(keepingCapacity: true)
            progress?(written, written)
            if written >= 2 * replacement.entriesPerCommit { FailPoint.reach("replace-mid-write") }
        }
        for keyspace in databases.all {
            let replaced = overrides[keyspace.handle] ?? [:]
            for (key, value) in base.all(in: keyspace) where replaced[key] == nil {
                pending.append(ReplacementEntry(keyspace: keyspace, key: key, value: value))
            }
            for (key, value) in replaced {
                if let value { pending.append(ReplacementEntry(keyspace: keyspace, key: key, value: value)) }
            }
            try flush(false)
        }
        try flush(true)
    }

    /// Replaces the whole catalog kept in `store` with the catalog `source` (a verified, migrated backup copy),
    /// as a new generation switched in at once: every entry of its databases, unchanged (sealed values stay
    /// sealed; their additional data names the catalog id, which moves with them).
    ///
    /// - Parameter force: replace a catalog the store already holds; without it such a store is refused with
    ///   `.alreadyExists`, and one that a client writes while the restore runs makes it fail with `.conflict`.
    /// - Returns: whether a catalog was replaced.
    /// - Throws: `CatalogError` `.alreadyExists`, `.unsupported` (a store without generations), `.conflict`,
    ///   `.ioError`.
    package static func restore(
        _ source: Catalog, into store: some TransactionalStore, description: String, force: Bool,
        progress: ((Int, Int) -> Void)? = nil
    ) throws(CatalogError) -> Bool {
        let erased = AnyTransactionalStore(store, description: description)
        guard let replaceable = erased.replaceable else {
            throw boundedWorkUnsupported(on: erased, doing: "restore")
        }
        do {
            let replacement = try replaceable.beginReplacement()
            var published = false
            defer { if !published { replacement.abandon() } }
            var existing = 0
            try replacement.readBase { base in
                for name in CatalogDatabases.allNames { existing += try base.count(of: try erased.keyspace(name)) }
            }
            if existing > 0 && !force {
                throw CatalogError(
                    .alreadyExists,
                    "\(description) already holds a catalog; pass --force to replace it with the backup (it is "
                        + "replaced at once: readers see the old catalog or the restored one), or restore under "
                        + "another name",
                    details: ["path": description, "reason": "exists"])
            }
            let total = try source.recordCounts()
            let all = total.meta + total.connections + total.names + total.history
            var pending: [ReplacementEntry] = []
            var written = 0
            try source.readStorage { tx in
                let databases = source.databases
                for (name, database) in [
                    (CatalogDatabases.metaName, databases.meta),
                    (CatalogDatabases.connectionsName, databases.connections),
                    (CatalogDatabases.namesName, databases.names),
                ] + (databases.history.map { [(CatalogDatabases.historyName, $0)] } ?? []) {
                    let target = try erased.keyspace(name)
                    try tx.scan(database, in: .all) { key, value in
                        pending.append(ReplacementEntry(keyspace: target, key: Array(key), value: Array(value)))
                        if pending.count >= 4 * replacement.entriesPerCommit {
                            try replacement.put(pending)
                            written += pending.count
                            pending.removeAll(keepingCapacity: true)
                            progress?(written, all)
                            FailPoint.reach("replace-mid-write")
                        }
                        return true
                    }
                }
            }
            try replacement.put(pending)
            progress?(all, all)
            FailPoint.reach("restore-before-swap")
            guard try replacement.publish(requireUnchangedBase: !force) else {
                throw CatalogError(
                    .conflict,
                    "a client wrote to \(description) while the backup was being restored; nothing was restored — "
                        + "restore again, or pass --force to replace whatever is there")
            }
            published = true
            return existing > 0
        } catch {
            throw CatalogError.wrapping(error, doing: "restoring into \(description)")
        }
    }

    static func boundedWorkUnsupported(on store: AnyTransactionalStore, doing what: String) -> CatalogError {
        CatalogError(
            .unsupported,
            "\(store.description) cannot switch a whole new catalog in at once, which \(what) needs on a store",
            details: ["reason": "no_generations", "store": store.description])
    }
}

extension CatalogDatabases {
    /// Every database the catalog's schema uses, `meta` first.
    var all: [Database] { [meta, connections, names] + (history.map { [$0] } ?? []) }
}
