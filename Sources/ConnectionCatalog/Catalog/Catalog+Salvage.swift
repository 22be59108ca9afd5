package import CatalogSealing
internal import CatalogStorage

/// What a raw reading of a damaged catalog found: what can be saved and what cannot, by connection.
package struct DamageAnalysis: Sendable {
    /// A connection (or record) that cannot be saved.
    package struct Loss: Sendable, Hashable, CustomStringConvertible {
        /// `workspace.name`, when the record or the name index says which connection it was.
        package var connection: String?
        /// The connection id (32 hex digits), when known.
        package var id: String?
        /// Why it cannot be saved; never a secret value.
        package var reason: String

        package var description: String {
            "\(connection.map { "connection '\($0)'" } ?? id.map { "record \($0)" } ?? "a record"): \(reason)"
        }
    }

    /// The catalog id found in `meta`.
    package var catalogID: [UInt8]
    /// Current records that decode under their checksum and whose every sealed value opens, by id.
    package var current: [ConnectionID: (connection: Connection, bytes: [UInt8])]
    /// History entries (key → record bytes) that decode and open.
    package var history: [[UInt8]: [UInt8]]
    /// What cannot be saved, named where the name is known.
    package var lost: [Loss]
    /// Connections the catalog held (per its own count) that left no trace readable enough to name them.
    package var unidentifiedLost: Int
    /// Pages that should hold data but are damaged or missing.
    package var damagedPages: Int
    /// Pages the data file was meant to have, and has.
    package var pageCount: Int
    package var pagesInFile: Int
    fileprivate var meta: SalvagedMeta
}

/// The `meta` entries salvage carries over.
struct SalvagedMeta: Sendable {
    var wrappedKeyring: [UInt8]
    var checkValue: [UInt8]
    var passphrase: [UInt8]?
    var createdAt: [UInt8]?
    var settings: [(key: [UInt8], value: [UInt8])]
}

/// What `Catalog.salvage` wrote.
package struct SalvageResult: Sendable {
    package var analysis: DamageAnalysis
    /// The new catalog's path.
    package var path: String
    /// Records the new catalog's own verification found wrong (empty unless salvage has a bug).
    package var problemsInCopy: [RecordProblem]
}

extension Catalog {
    /// Reads the catalog directory `directory`'s `data.mdb` **without LMDB** (a raw page reader: a damaged file
    /// can crash LMDB) and works out what can be saved: every current record that decodes under its checksum,
    /// is stored under its own id, is not superseded by a history entry of the same version, and whose sealed
    /// values all open with `master`'s keyring under the catalog id. Highest version wins when several copies
    /// of a record are found.
    ///
    /// - Throws: `CatalogError` `.integrityError` when the metadata needed to open anything (catalog id,
    ///   keyring) cannot be found, `.wrongKey` when no keyring found opens with `master`, `.ioError` when the
    ///   file cannot be read.
    package static func analyzeDamage(at directory: String, master: MasterKey) throws(CatalogError) -> DamageAnalysis {
        let dataFile = "\(directory)/data.mdb"
        let scan: RawPageReader.Scan
        do { scan = try RawPageReader.scan(file: dataFile) } catch {
            throw CatalogError(
                error.kind == .corrupted ? .integrityError : .ioError,
                "reading '\(dataFile)' page by page failed: \(error.message)", underlying: error)
        }
        // Meta first: without the catalog id and the keyring no sealed value can be checked.
        var values: [String: [[UInt8]]] = [:]
        var settings: [[UInt8]: [UInt8]] = [:]
        let metaNames: Set<String> = [
            MetaKey.catalogID, MetaKey.keyring, MetaKey.checkValue, MetaKey.passphrase, MetaKey.createdAt,
        ]
        for entry in scan.entries {
            guard let text = String(validating: entry.key, as: UTF8.self) else { continue }
            if metaNames.contains(text) {
                if !(values[text]?.contains(entry.value) ?? false) { values[text, default: []].append(entry.value) }
            } else if text.hasPrefix(MetaKey.settingPrefix), String(validating: entry.value, as: UTF8.self) != nil {
                settings[entry.key] = entry.value
            }
        }
        let catalogIDs = (values[MetaKey.catalogID] ?? []).filter { $0.count == 16 }
        guard !catalogIDs.isEmpty else {
            throw CatalogError(
                .integrityError,
                "the catalog id in '\(dataFile)' is on a damaged page: without it no sealed value can be checked, so "
                    + "nothing can be salvaged; restore the catalog from a verified backup",
                details: ["missing": "catalog_id"])
        }
        var keyring: (wrapped: [UInt8], keyring: Keyring)?
        var keyringError: SealingError?
        for wrapped in values[MetaKey.keyring] ?? [] {
            do {
                keyring = (wrapped, try Keyring.unwrap(wrapped, with: master))
                break
            } catch { keyringError = error }
        }
        guard let keyring else {
            if let keyringError, keyringError.code.rawValue == CatalogError.Code.wrongKey.rawValue {
                throw CatalogError.sealing(keyringError, doing: "opening the keyring of '\(dataFile)'")
            }
            throw CatalogError(
                .integrityError,
                "the keyring in '\(dataFile)' is on a damaged page (or does not open with this master key): without "
                    + "it no sealed value can be opened, so nothing can be salvaged; restore from a verified backup",
                details: ["missing": "keyring"])
        }
        // A lost check value is made again: the keyring opening proves the master key is the right one.
        let checkValue =
            (values[MetaKey.checkValue] ?? []).first { (try? master.verify(checkValue: $0)) != nil }
            ?? master.makeCheckValue()
        let sealer = Sealer(keyring: keyring.keyring)

        // Records, history and the name index, told apart by the shape of their keys and values.
        var candidates: [ConnectionID: (connection: Connection, bytes: [UInt8])] = [:]
        var undecodable = Set<ConnectionID>()
        var historyEntries: [[UInt8]: (connection: Connection, bytes: [UInt8])] = [:]
        var indexed: [ConnectionID: Set<String>] = [:]
        var carvedIndex = Set<ConnectionID>()
        for entry in scan.entries {
            let key = entry.key
            if key.count == ConnectionID.byteCount, let id = ConnectionID(bytes: key) {
                guard let connection = try? ConnectionRecord.decode(entry.value), connection.id == id else {
                    // A carved candidate that does not decode is most likely noise, not a record.
                    if !entry.carved { undecodable.insert(id) }
                    continue
                }
                if connection.version >= (candidates[id]?.connection.version ?? 0) {
                    candidates[id] = (connection, entry.value)
                }
            } else if key.count == ConnectionID.byteCount + 8, let id = ConnectionID(bytes: key.prefix(16)),
                let connection = try? ConnectionRecord.decode(entry.value), connection.id == id,
                BigEndian.uint64(key.suffix(8)) == connection.version
            {
                historyEntries[key] = (connection, entry.value)
            } else if key.contains(0), let id = NameIndexEntry.id(ofWholeEntry: entry.value),
                let (workspace, name) = try? CatalogKeys.names(fromNameKey: key)
            {
                indexed[id, default: []].insert("\(workspace).\(name)")
                if entry.carved { carvedIndex.insert(id) }
            }
        }
        // A carved index entry counts only for an id some record has: otherwise it may be noise.
        for id in carvedIndex
        where candidates[id] == nil && !undecodable.contains(id)
            && !historyEntries.keys.contains(where: { $0.prefix(16).elementsEqual(id.bytes) })
        {
            indexed[id] = nil
        }
        for (key, _) in historyEntries {
            guard let id = ConnectionID(bytes: key.prefix(16)), let current = candidates[id] else { continue }
            // A current record whose version also sits in history is a stale copy: that version was changed
            // or dropped afterwards.
            if BigEndian.uint64(key.suffix(8)) ?? 0 >= current.connection.version { candidates[id] = nil }
        }

        // The catalog id under which the most sealed values open (there is one, unless stale meta was found).
        func opens(_ connection: Connection, catalogID: [UInt8]) -> String? {
            for (field, envelope) in connection.sealedFields.sorted(by: { $0.key < $1.key }) {
                let place = AdditionalData(
                    catalogID: catalogID, workspace: connection.workspace.rawValue, connectionID: connection.id.bytes,
                    fieldName: field.rawValue)
                do {
                    try sealer.withOpened(try SealedValue(bytes: envelope), for: place) { _ in }
                } catch {
                    return "\(field) does not open with the catalog's keyring"
                }
            }
            return nil
        }
        let catalogID =
            catalogIDs.count == 1
            ? catalogIDs[0]
            : catalogIDs.max { a, b in
                candidates.values.filter { opens($0.connection, catalogID: a) == nil }.count
                    < candidates.values.filter { opens($0.connection, catalogID: b) == nil }.count
            }!

        var analysis = DamageAnalysis(
            catalogID: catalogID, current: [:], history: [:], lost: [], unidentifiedLost: 0,
            damagedPages: scan.damagedPages.count, pageCount: scan.pageCount, pagesInFile: scan.pagesInFile,
            meta: SalvagedMeta(
                wrappedKeyring: keyring.wrapped, checkValue: checkValue, passphrase: values[MetaKey.passphrase]?.first,
                createdAt: values[MetaKey.createdAt]?.first { $0.count == 8 },
                settings: settings.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }))
        var takenNames = Set<String>()
        for (id, candidate) in candidates.sorted(by: { $0.value.connection.modifiedAt > $1.value.connection.modifiedAt }
        ) {
            let connection = candidate.connection
            let name = "\(connection.workspace).\(connection.name)"
            if let reason = opens(connection, catalogID: catalogID) {
                analysis.lost.append(.init(connection: name, id: id.description, reason: reason))
            } else if takenNames.contains(name) {
                analysis.lost.append(
                    .init(
                        connection: name, id: id.description,
                        reason: "an older record of a name another record now holds"))
            } else {
                takenNames.insert(name)
                analysis.current[id] = candidate
            }
        }
        for (key, entry) in historyEntries where opens(entry.connection, catalogID: catalogID) == nil {
            analysis.history[key] = entry.bytes
        }
        // What the name index (or an undecodable record) says existed but was not saved.
        var named = Set<ConnectionID>()
        for (id, names) in indexed
        where analysis.current[id] == nil && !analysis.lost.contains(where: { $0.id == id.description }) {
            let superseded =
                historyEntries.keys.contains { $0.prefix(16).elementsEqual(id.bytes) } && candidates[id] == nil
                && !undecodable.contains(id)
            let reason =
                superseded
                ? "its newest record is lost; only earlier versions survive, in history (it may have been dropped)"
                : "its record is on a damaged page"
            for name in names.sorted() {
                analysis.lost.append(.init(connection: name, id: id.description, reason: reason))
            }
            named.insert(id)
        }
        for id in undecodable where analysis.current[id] == nil && !named.contains(id) {
            analysis.lost.append(.init(connection: nil, id: id.description, reason: "the record does not decode"))
            named.insert(id)
        }
        let expected = scan.databases.filter { $0.name == CatalogDatabases.connectionsName }.map(\.entries).max() ?? 0
        let accounted = analysis.current.count + Set(analysis.lost.compactMap(\.id)).count
        analysis.unidentifiedLost = max(0, expected - accounted)
        analysis.lost.sort { ($0.connection ?? "~\($0.id ?? "")") < ($1.connection ?? "~\($1.id ?? "")") }
        return analysis
    }

    /// Copies everything `analyzeDamage` can save from the damaged catalog in `directory` into a new catalog at
    /// `destination`, with the same catalog id, keyring and check value (so sealed values stay valid and the
    /// same master key opens it): every saved record byte for byte, its name index entry, the saved history,
    /// the settings. One write transaction; the new catalog is then verified record by record.
    ///
    /// The damaged catalog is only read, never with LMDB.
    ///
    /// - Throws: the errors of `analyzeDamage`; `.alreadyExists` if `destination` holds anything.
    package static func salvage(
        from directory: String, to destination: String, master: MasterKey
    )
        throws(CatalogError) -> SalvageResult
    {
        let analysis = try analyzeDamage(at: directory, master: master)
        var options = Environment.Options(databases: CatalogDatabases.allNames)
        options.createsDatabases = false
        let environment: Environment
        do {
            environment = try Environment.open(at: destination, options: options, logger: Environment.silentLogger)
        } catch {
            throw CatalogError.storage(error, doing: "creating the salvaged catalog at '\(destination)'")
        }
        guard try StoredMeta.read(from: environment) == nil else {
            throw CatalogError(
                .alreadyExists, "'\(destination)' already holds a catalog; salvage into a new path",
                details: ["path": destination])
        }
        let migrator = Migrator(SchemaHistory.migrations)
        let meta = analysis.meta
        do {
            try environment.writeBlocking { tx in
                let now = Timestamp.nowMilliseconds()
                try migrator.migrate(tx, from: 0, to: migrator.latestVersion, at: now)
                let metaDB = try tx.createDatabase(CatalogDatabases.metaName)
                let connections = try tx.createDatabase(CatalogDatabases.connectionsName)
                let names = try tx.createDatabase(CatalogDatabases.namesName)
                let history = try tx.createDatabase(CatalogDatabases.historyName)
                try tx.put(BigEndian.bytes(UInt32(1)), for: MetaKey.key(MetaKey.format), in: metaDB)
                try tx.put(analysis.catalogID, for: MetaKey.key(MetaKey.catalogID), in: metaDB)
                try tx.put(meta.wrappedKeyring, for: MetaKey.key(MetaKey.keyring), in: metaDB)
                try tx.put(meta.checkValue, for: MetaKey.key(MetaKey.checkValue), in: metaDB)
                try tx.put(
                    meta.createdAt ?? BigEndian.bytes(UInt64(bitPattern: now)), for: MetaKey.key(MetaKey.createdAt),
                    in: metaDB)
                if let passphrase = meta.passphrase {
                    try tx.put(passphrase, for: MetaKey.key(MetaKey.passphrase), in: metaDB)
                }
                for (key, value) in meta.settings { try tx.put(value, for: try RecordKey(key), in: metaDB) }
                for (id, record) in analysis.current {
                    try tx.put(record.bytes, for: try RecordKey(CatalogKeys.recordKey(for: id)), in: connections)
                    let nameKey = CatalogKeys.nameKey(
                        workspace: record.connection.workspace, name: record.connection.name)
                    try tx.put(
                        NameIndexEntry.value(for: record.connection, schemaVersion: migrator.latestVersion),
                        for: try RecordKey(nameKey), in: names)
                }
                for (key, bytes) in analysis.history { try tx.put(bytes, for: try RecordKey(key), in: history) }
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "writing the salvaged catalog at '\(destination)'")
        }
        let copy = try openForRestore(at: destination, master: master)
        return SalvageResult(analysis: analysis, path: copy.path, problemsInCopy: try copy.verifyRecords())
    }
}
