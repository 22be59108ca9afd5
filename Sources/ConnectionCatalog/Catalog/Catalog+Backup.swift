package import CatalogSealing
internal import CatalogStorage
package import Logging

/// One thing wrong with one record of a catalog being verified, named by connection where the name is known.
package struct RecordProblem: Sendable, Hashable, CustomStringConvertible {
    /// `connections`, `names` or `history`.
    package var database: String
    /// `workspace.name` of the connection, when the record or the name index says which it is.
    package var connection: String?
    /// The connection id (32 hex digits), when the key holds one.
    package var id: String?
    /// What is wrong and what to do; never a secret value.
    package var message: String

    package var description: String {
        let subject = connection.map { "connection '\($0)'" } ?? id.map { "record \($0)" } ?? "a record"
        return "\(database): \(subject)\(connection != nil && id != nil ? " (id \(id!))" : ""): \(message)"
    }
}

/// Entries per named database of one snapshot, for backup manifests.
package struct RecordCounts: Sendable, Hashable {
    package var meta: Int
    package var connections: Int
    package var names: Int
    package var history: Int

    package init(meta: Int, connections: Int, names: Int, history: Int) {
        self.meta = meta
        self.connections = connections
        self.names = names
        self.history = history
    }
}

extension Catalog {
    /// The master key this handle opened the catalog with (for backup checksums, which are keyed by it).
    package var masterKey: MasterKey { keys.master }

    /// Writes a consistent, compacted single-file copy of the catalog to `destination` (one LMDB snapshot;
    /// writers in other threads and processes go on). The file is created `0600`, synced and renamed into place.
    ///
    /// - Throws: `CatalogError` `.ioError` naming the step that failed.
    package func copyStorage(to destination: String) throws(CatalogError) -> (compacted: Bool, bytes: Int) {
        let environment = try self.environment
        do {
            let result = try environment.copy(to: destination, compact: true)
            return (result.compacted, result.bytes)
        } catch {
            throw CatalogError.storage(error, doing: "copying the catalog to '\(destination)'")
        }
    }

    /// `copyStorage(to:)`, compacted, with every byte of the copy also handed to `observer` in order as it is
    /// written (on this thread): a backup checksums the copy while it is made. When compaction fails this
    /// throws, and the caller takes `copyStorage(to:)`.
    ///
    /// - Throws: `CatalogError` `.ioError` naming the step that failed.
    package func copyStorage(
        to destination: String, observing observer: (UnsafeRawBufferPointer) -> Void
    ) throws(CatalogError) -> (compacted: Bool, bytes: Int) {
        let environment = try self.environment
        do {
            let result = try environment.copy(to: destination, observing: observer)
            return (result.compacted, result.bytes)
        } catch {
            throw CatalogError.storage(error, doing: "copying the catalog to '\(destination)'")
        }
    }

    /// Opens a single-file copy of a catalog (a backup's data file) read-only, without LMDB's lock file and
    /// without migrating it, checking the master key against its check value first.
    ///
    /// Only open a file this process wrote itself or one whose checksum was verified: LMDB trusts its files.
    ///
    /// - Throws: `CatalogError` `.integrityError` if the file holds no catalog, `.catalogTooNew`, `.wrongKey`,
    ///   `.ioError` if LMDB cannot open it.
    package static func openSnapshotFile(
        at path: String, master: MasterKey, logger: Logger? = nil
    )
        throws(CatalogError) -> Catalog
    {
        try openExisting(at: path, master: master, mode: .snapshotFile(path), logger: logger)
    }

    /// Opens the live catalog directory `path` read-only (`catalog check`): LMDB's lock file is used as by any
    /// reader, nothing is written, nothing migrated; the master key is checked against the check value.
    ///
    /// - Throws: `CatalogError` `.integrityError` if the directory holds no catalog, `.catalogTooNew`,
    ///   `.wrongKey`, `.ioError` if LMDB cannot open it.
    package static func openForCheck(at path: String, master: MasterKey) throws(CatalogError) -> Catalog {
        try openExisting(at: path, master: master, mode: .check(path), logger: nil)
    }

    /// Opens the catalog directory `path` (a restore being staged) with an already resolved master key and
    /// migrates an older schema to the current one in one write transaction, as `open` does. Never creates one.
    ///
    /// - Throws: `CatalogError` `.integrityError` if the directory holds no catalog, `.catalogTooNew`,
    ///   `.wrongKey`, `.ioError`.
    package static func openForRestore(
        at path: String, master: MasterKey, logger: Logger? = nil
    )
        throws(CatalogError) -> Catalog
    {
        try openExisting(at: path, master: master, mode: .restore(path), logger: logger)
    }

    /// The number of entries in each named database, from one snapshot.
    package func recordCounts() throws(CatalogError) -> RecordCounts {
        do {
            return try environment.read { tx in
                RecordCounts(
                    meta: try tx.count(of: databases.meta), connections: try tx.count(of: databases.connections),
                    names: try tx.count(of: databases.names),
                    history: try databases.history.map { try tx.count(of: $0) } ?? 0)
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "counting the catalog's records")
        }
    }

    /// Decodes every record of `connections` and `history` from one snapshot, opens every sealed value with this
    /// handle's keyring, and checks the name index against the records. Returns what is wrong, by connection.
    ///
    /// - Parameter progress: called with (records done, records in all).
    /// - Throws: `CatalogError` only when the snapshot itself cannot be read; damaged records are returned.
    package func verifyRecords(progress: ((Int, Int) -> Void)? = nil) throws(CatalogError) -> [RecordProblem] {
        try checkRecords(progress: progress).problems
    }

    /// What `checkRecords` looked at and found.
    package struct RecordCheck: Sendable {
        package var problems: [RecordProblem] = []
        /// Records decoded, current and history.
        package var records = 0
        /// Current records.
        package var connections = 0
        /// Name index entries read.
        package var names = 0
        /// Sealed values opened.
        package var sealedValues = 0
    }

    /// `verifyRecords`, also counting what it checked; `onDatabase` hears each database's name before it is read
    /// (so that a process reading a damaged file can say where it was).
    ///
    /// Two passes over one snapshot. The first (`RecordScreen`) makes every check on every core and keeps nothing
    /// per record, so a sound catalog of any size is checked in bounded memory; only if it finds something wrong
    /// does the second, detailed pass run, which names each problem by connection.
    package func checkRecords(
        onDatabase: ((String) -> Void)? = nil, progress: ((Int, Int) -> Void)? = nil
    )
        throws(CatalogError) -> RecordCheck
    {
        let databases = self.databases
        let screen = RecordScreen(catalogID: catalogID, sealer: keys.sealer)
        do {
            let environment = try self.environment
            return try environment.read { tx in
                let stores =
                    [(CatalogDatabases.connectionsName, databases.connections)]
                    + (databases.history.map { [(CatalogDatabases.historyName, $0)] } ?? [])
                let total = try stores.reduce(0) { $0 + (try tx.count(of: $1.1)) }
                let tally = try Self.screenRecords(
                    tx, names: databases.names, stores: stores, total: total, screen: screen, onDatabase: onDatabase,
                    progress: progress, releasePages: environment.releaseResidentPages)
                if tally.isClean {
                    return RecordCheck(
                        problems: [], records: tally.records, connections: tally.connections, names: tally.names,
                        sealedValues: tally.sealedValues)
                }
                return try Self.detailedCheck(
                    tx, names: databases.names, stores: stores, total: total, sealer: screen.sealer,
                    place: place(of:in:), onDatabase: onDatabase, progress: progress)
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "verifying the catalog's records")
        }
    }

    /// The first pass of `checkRecords`: the name index, then every record, a chunk at a time on every core.
    private static func screenRecords(
        _ tx: borrowing ReadTransaction, names: Keyspace, stores: [(String, Keyspace)], total: Int,
        screen: RecordScreen, onDatabase: ((String) -> Void)?, progress: ((Int, Int) -> Void)?,
        releasePages: () -> Void
    ) throws -> RecordScreen.Tally {
        var tally = RecordScreen.Tally()
        // Pages read since the map's pages were last dropped from the resident set (about: the bytes scanned).
        var scannedBytes = 0
        var entries: [(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)] = []
        entries.reserveCapacity(ChunkedWork.chunkSize)
        // The pointers stay valid while the read transaction lasts: they point into its snapshot.
        func flush(_ check: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, inout RecordScreen.Tally) -> Void) {
            let parts = entries.withUnsafeBufferPointer { chunk in
                ChunkedWork.run(count: chunk.count) { range in
                    var part = RecordScreen.Tally()
                    for index in range { check(chunk[index].key, chunk[index].value, &part) }
                    return part
                }
            }
            for part in parts { tally.merge(part) }
            entries.removeAll(keepingCapacity: true)
            // A whole-file scan would otherwise keep every page of the file resident: drop them every few MiB
            // (the pointers of the next chunk fault their pages back in).
            if scannedBytes >= Self.residentScanBytes {
                releasePages()
                scannedBytes = 0
            }
        }
        onDatabase?(CatalogDatabases.namesName)
        let screenName = {
            (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, tally: inout RecordScreen.Tally) in
            screen.screenNameEntry(key: key, value: value, into: &tally)
        }
        try tx.scan(names, in: .all) { key, value in
            entries.append((key, value))
            scannedBytes += key.count + value.count + 16
            if entries.count == ChunkedWork.chunkSize { flush(screenName) }
            return true
        }
        flush(screenName)
        for (storeName, store) in stores {
            let isCurrent = storeName == CatalogDatabases.connectionsName
            onDatabase?(storeName)
            let screenRecord = {
                (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, tally: inout RecordScreen.Tally) in
                screen.screenRecord(key: key, value: value, isCurrent: isCurrent, into: &tally)
            }
            try tx.scan(store, in: .all) { key, value in
                entries.append((key, value))
                scannedBytes += key.count + value.count + 16
                if entries.count == ChunkedWork.chunkSize {
                    flush(screenRecord)
                    progress?(tally.records, total)
                }
                return true
            }
            flush(screenRecord)
            progress?(tally.records, total)
        }
        return tally
    }

    /// Bytes scanned between drops of the map's resident pages during `screenRecords`.
    static let residentScanBytes = 32 << 20

    /// The second pass of `checkRecords`, run only when the first found something wrong: every record decoded on
    /// one thread, the name index kept by id, and every problem named by connection.
    private static func detailedCheck(
        _ tx: borrowing ReadTransaction, names: Keyspace, stores: [(String, Keyspace)], total: Int, sealer: Sealer,
        place: (PropertyKey, Connection) -> AdditionalData, onDatabase: ((String) -> Void)?,
        progress: ((Int, Int) -> Void)?
    ) throws -> RecordCheck {
        var check = RecordCheck()
        var problems: [RecordProblem] = []
        onDatabase?(CatalogDatabases.namesName)
        var namesByID: [ConnectionID: String] = [:]
        var listingsByID: [ConnectionID: NameIndexEntry.Listing] = [:]
        try tx.scan(names, in: .all) { key, value in
            check.names += 1
            do {
                let (workspace, name) = try CatalogKeys.names(fromNameKey: key)
                let id = try CatalogKeys.id(fromRecordKey: NameIndexEntry.recordKey(of: value))
                namesByID[id] = "\(workspace).\(name)"
                listingsByID[id] = try NameIndexEntry.listing(of: value)
            } catch {
                problems.append(
                    RecordProblem(
                        database: CatalogDatabases.namesName, connection: nil, id: nil,
                        message: "a name index entry is damaged: \(message(of: error))"))
            }
            return true
        }
        var done = 0
        var recordIDs = Set<ConnectionID>()
        for (storeName, store) in stores {
            let isCurrent = storeName == CatalogDatabases.connectionsName
            onDatabase?(storeName)
            try tx.scan(store, in: .all) { key, value in
                done += 1
                check.records += 1
                if isCurrent { check.connections += 1 }
                progress?(done, total)
                let keyID = ConnectionID(bytes: key.prefix(ConnectionID.byteCount))
                var problem = RecordProblem(
                    database: storeName, connection: keyID.flatMap { namesByID[$0] },
                    id: keyID.map(\.description), message: "")
                let connection: Connection
                do {
                    connection = try ConnectionRecord.decode(value)
                } catch {
                    problem.message = "the record does not decode: \(message(of: error))"
                    problems.append(problem)
                    return true
                }
                problem.connection = "\(connection.workspace).\(connection.name)"
                problem.id = connection.id.description
                let expectedKeyLength = isCurrent ? ConnectionID.byteCount : ConnectionID.byteCount + 8
                if keyID != connection.id || key.count != expectedKeyLength
                    || (!isCurrent && BigEndian.uint64(key.suffix(8)) != connection.version)
                {
                    problem.message = "the record is stored under a key that does not match its id or version"
                    problems.append(problem)
                }
                if isCurrent {
                    recordIDs.insert(connection.id)
                    if namesByID[connection.id] != "\(connection.workspace).\(connection.name)" {
                        problem.message = "the name index does not point at this record under its name"
                        problems.append(problem)
                    } else if let listed = listingsByID[connection.id], listed != NameIndexEntry.Listing(of: connection)
                    {
                        problem.message =
                            "the name index lists this connection's type, enabled state or creation time unlike its record"
                        problems.append(problem)
                    }
                }
                for field in connection.sealedFields.keys.sorted() {
                    do {
                        let value = try SealedValue(bytes: connection.sealedFields[field]!)
                        try sealer.withOpened(value, for: place(field, connection)) { _ in }
                        check.sealedValues += 1
                    } catch {
                        problem.message =
                            "\(field)\(isCurrent ? "" : " of version \(connection.version)") does not open: "
                            + message(of: error)
                        problems.append(problem)
                    }
                }
                return true
            }
        }
        for (id, name) in namesByID where !recordIDs.contains(id) {
            problems.append(
                RecordProblem(
                    database: CatalogDatabases.namesName, connection: name, id: id.description,
                    message: "the name index points at a record that is missing"))
        }
        check.problems = problems
        return check
    }
}

/// The message of a lower-layer error, never its `underlying` chain (which might hold more than it should).
private func message(of error: any Error) -> String {
    switch error {
    case let error as CatalogError: error.message
    case let error as SealingError: error.message
    case let error as StorageError: error.message
    default: "\(type(of: error))"
    }
}
