package import CatalogSealing
internal import CatalogStorage

/// What an export says about the catalog it came from, read from the same snapshot as its records.
package struct ExportSource: Sendable {
    /// The source catalog's id (sealed values are bound to it).
    package var catalogID: [UInt8]
    /// The source's on-disk schema version.
    package var schemaVersion: Int
    /// The source keyring, wrapped by the source master key (never plain).
    package var wrappedKeyring: [UInt8]
    /// The source master key's check value.
    package var checkValue: [UInt8]
    /// How many connections follow.
    package var connectionCount: Int
}

/// What import does with a connection whose id or name the target catalog already has.
public enum ImportConflictPolicy: String, Sendable, CaseIterable {
    /// Refuse the whole import with `conflict`; nothing is written.
    case fail
    /// Keep the target's connection and leave the imported one out.
    case skip
    /// Drop the target's connection (its last version goes to history) and write the imported one.
    case replace
}

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    /// Connections written that met no conflict.
    public var imported = 0
    /// Connections left out under `skip`.
    public var skipped = 0
    /// Connections written over a conflicting one under `replace`.
    public var replaced = 0

    package init() {}
}

extension Catalog {
    /// Reads one snapshot for an export: `header` receives the source description, then `record` every current
    /// connection (of `workspace` only, when given) in id order, exactly as stored (sealed values still sealed).
    ///
    /// - Throws: `CatalogError` `.wrongKey` if another process re-keyed the catalog since this handle opened it,
    ///   `.integrityError` for a record that does not decode (or, with a workspace, that the name index names
    ///   but that is missing); whatever the closures throw.
    package func exportSnapshot(
        workspace: WorkspaceName? = nil, header: (ExportSource) throws -> Void, record: (Connection) throws -> Void
    ) throws {
        let databases = self.databases
        let master = keys.master
        let catalogID = self.catalogID
        let schemaVersion = self.schemaVersion
        do {
            try readStorage { tx in
                let stored = try StoredKeyMetadata.read(from: tx, meta: databases.meta)
                let wrapped = stored.wrappedKeyring
                let check = stored.checkValue
                try master.verify(checkValue: check)
                if workspace == nil {
                    try header(
                        ExportSource(
                            catalogID: catalogID, schemaVersion: schemaVersion, wrappedKeyring: wrapped,
                            checkValue: check, connectionCount: try tx.count(of: databases.connections)))
                    try tx.scan(databases.connections, in: .all) { key, value in
                        try record(try Self.exportDecoded(key, value))
                        return true
                    }
                }
                guard let workspace else { return }
                // One workspace: its ids from the name index, sorted so records still come in id order.
                var ids: [[UInt8]] = []
                try tx.scan(databases.names, in: .prefix(CatalogKeys.namePrefix(workspace: workspace))) { _, value in
                    ids.append(Array(try NameIndexEntry.recordKey(of: value)))
                    return true
                }
                ids.sort { $0.lexicographicallyPrecedes($1) }
                try header(
                    ExportSource(
                        catalogID: catalogID, schemaVersion: schemaVersion, wrappedKeyring: wrapped, checkValue: check,
                        connectionCount: ids.count))
                let values = try tx.values(for: try ids.map { try RecordKey($0) }, in: databases.connections)
                for (id, value) in zip(ids, values) {
                    guard let value else {
                        throw CatalogError(
                            .integrityError,
                            "the name index names record \(Hex.encode(id)), which is missing; run `catalog check`")
                    }
                    try record(
                        try value.withUnsafeBytes { bytes throws(CatalogError) in try Self.exportDecoded(id, bytes) })
                }
            }
        } catch {
            throw CatalogError.fromLowerLayer(error, doing: "exporting the catalog")
        }
    }

    /// The connection `value` holds, or an `.integrityError` naming the record's id.
    private static func exportDecoded(
        _ key: some Collection<UInt8>, _ value: UnsafeRawBufferPointer
    )
        throws(CatalogError) -> Connection
    {
        do {
            return try ConnectionRecord.decode(value)
        } catch {
            let id = ConnectionID(bytes: key).map(\.description) ?? "with a damaged key"
            throw CatalogError(
                .integrityError,
                "record \(id) does not decode (\(error.message)); restore the catalog from a verified backup, then export",
                underlying: error)
        }
    }

    /// Writes `incoming` into this catalog all or nothing, each connection exactly as
    /// given (id, name, workspace, type, properties, comment, enabled, creator, times, version, unknown fields),
    /// with every sealed value opened under the source catalog's place and keyring and re-sealed under this one's.
    ///
    /// A connection conflicts when this catalog has one with the same id or the same workspace and name.
    ///
    /// On LMDB this is one write transaction. On a store with bounded commits (etcd) the catalog with the
    /// import applied is written as a new generation and switched in at once (`importInGeneration`): readers see
    /// the catalog before the import or after it, never part of it.
    ///
    /// - Parameter progress: called with (connections done, connections in all); it may start again from zero if
    ///   the transaction is re-run because the map grew.
    /// - Throws: `CatalogError` `.conflict` under `.fail` (nothing written), `.wrongKey` / `.integrityError` if
    ///   a sealed value does not open with the source keyring.
    package func importConnections(
        _ incoming: [Connection], sourceCatalogID: [UInt8], sourceKeyring: Keyring, onConflict: ImportConflictPolicy,
        progress: ((Int, Int) -> Void)? = nil
    ) throws(CatalogError) -> ImportSummary {
        try importConnections(
            count: incoming.count, sourceCatalogID: sourceCatalogID, sourceKeyring: sourceKeyring,
            onConflict: onConflict, progress: progress
        ) { each in
            for connection in incoming { try each(connection) }
        }
    }

    /// `importConnections(_:…)` over connections read as the import goes, so that the whole import is never held in
    /// memory: `source` hands every connection to `each`, in order, and is called again from the start whenever
    /// the write runs again (the map grew), so it must read its connections afresh each time. It may throw to stop
    /// the import (a source that finds its input changed): nothing is then written.
    ///
    /// - Parameter count: how many connections `source` hands over, for `progress`.
    package func importConnections(
        count: Int, sourceCatalogID: [UInt8], sourceKeyring: Keyring, onConflict: ImportConflictPolicy,
        progress: ((Int, Int) -> Void)? = nil, from source: (_ each: (Connection) throws -> Void) throws -> Void
    ) throws(CatalogError) -> ImportSummary {
        let sourceSealer = Sealer(keyring: sourceKeyring)
        do {
            if case .store(let store) = backend {
                return try importInGeneration(on: store, progress: progress) { tx in
                    try importBody(
                        tx, count: count, source, sourceCatalogID: sourceCatalogID, sourceSealer: sourceSealer,
                        onConflict: onConflict, progress: progress)
                }
            }
            return try environment.writeBlocking { tx in
                try importBody(
                    copy tx, count: count, source, sourceCatalogID: sourceCatalogID, sourceSealer: sourceSealer,
                    onConflict: onConflict, progress: progress)
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "importing connections")
        }
    }

    /// The changes of an import, made through `tx` (an LMDB write, or a staged write over a store's base).
    private func importBody(
        _ tx: some StorageWriting, count: Int, _ source: ((Connection) throws -> Void) throws -> Void,
        sourceCatalogID: [UInt8], sourceSealer: Sealer, onConflict: ImportConflictPolicy,
        progress: ((Int, Int) -> Void)?
    ) throws -> ImportSummary {
        let databases = self.databases
        let sealer = try keys.sealer(matching: try tx.get(MetaKey.key(MetaKey.keyring), in: databases.meta))
        var summary = ImportSummary()
        func existing(_ id: ConnectionID) throws -> Connection? {
            try tx.withValue(for: RecordKey(id.bytes), in: databases.connections) { bytes in
                try bytes.map { try ConnectionRecord.decode($0) }
            }
        }
        func remove(_ connection: Connection) throws {
            if let history = databases.history {
                try tx.put(
                    ConnectionRecord.encode(connection),
                    for: RecordKey(connection.id.bytes + BigEndian.bytes(connection.version)), in: history)
            }
            _ = try tx.delete(
                RecordKey(CatalogKeys.nameKey(workspace: connection.workspace, name: connection.name)),
                in: databases.names)
            _ = try tx.delete(RecordKey(connection.id.bytes), in: databases.connections)
        }
        var done = 0
        try source { connection in
            done += 1
            defer { progress?(done, count) }
            let nameKey = try RecordKey(CatalogKeys.nameKey(workspace: connection.workspace, name: connection.name))
            let sameID = try existing(connection.id)
            let sameNameID = try tx.withValue(for: nameKey, in: databases.names) { bytes in
                try bytes.map { try CatalogKeys.id(fromRecordKey: NameIndexEntry.recordKey(of: $0)) }
            }
            if sameID != nil || sameNameID != nil {
                switch onConflict {
                case .fail:
                    let what = sameID != nil ? "a connection with the same id" : "a connection of that name"
                    throw CatalogError(
                        .conflict,
                        "connection '\(connection.name)' in workspace '\(connection.workspace)' conflicts with "
                            + "\(what) in the target catalog; nothing was imported. Use --on-conflict skip to "
                            + "keep the target's, or --on-conflict replace to take the imported one",
                        details: ["name": connection.name.rawValue, "workspace": connection.workspace.rawValue])
                case .skip:
                    summary.skipped += 1
                    return
                case .replace:
                    if let sameID { try remove(sameID) }
                    if let sameNameID, sameNameID != connection.id, let other = try existing(sameNameID) {
                        try remove(other)
                    }
                    summary.replaced += 1
                }
            } else {
                summary.imported += 1
            }
            var resealed = connection
            for (field, envelope) in connection.sealedFields {
                resealed.sealedFields[field] = try reseal(
                    envelope, field, of: connection, from: sourceSealer, sourceCatalogID: sourceCatalogID,
                    into: sealer)
            }
            try tx.put(
                ConnectionRecord.encode(resealed), for: RecordKey(connection.id.bytes), in: databases.connections)
            try tx.put(
                NameIndexEntry.value(for: connection, schemaVersion: schemaVersion), for: nameKey, in: databases.names)
        }
        return summary
    }

    private func reseal(
        _ envelope: [UInt8], _ field: PropertyKey, of connection: Connection, from source: Sealer,
        sourceCatalogID: [UInt8], into target: Sealer
    ) throws -> [UInt8] {
        let sourcePlace = AdditionalData(
            catalogID: sourceCatalogID, workspace: connection.workspace.rawValue, connectionID: connection.id.bytes,
            fieldName: field.rawValue)
        do {
            return try source.withOpened(try SealedValue(bytes: envelope), for: sourcePlace) { plaintext in
                target.seal(plaintext, for: place(of: field, in: connection)).bytes
            }
        } catch let error as SealingError {
            throw CatalogError.sealing(
                error,
                doing: "opening \(field) of imported connection '\(connection.name)' with the source catalog's keys "
                    + "(is --source-key-file the master key of the catalog that exported it?)")
        }
    }
}
