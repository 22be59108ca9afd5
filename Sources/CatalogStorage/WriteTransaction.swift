internal import CLMDB

/// A write transaction, lent to the closure of `Environment.write`: it commits when the closure returns and
/// aborts when it throws.
///
/// It is not `Sendable`, so it never leaves its thread. Layers above may wrap it in their own types; using it
/// after its closure has returned is a programming error and traps.
public struct WriteTransaction: StorageWriting {
    let rawTxn: OpaquePointer
    let state: WriteState

    /// The transaction pointer, after checking the transaction is still open.
    var txn: OpaquePointer { state.lease.checked(rawTxn, generation: 0) }

    init(txn: OpaquePointer, state: WriteState) {
        self.rawTxn = txn
        self.state = state
    }

    /// Wraps `mdb_get`; sees this transaction's own writes.
    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try TransactionOperations.withValue(txn, keyBytes: key, keyspace, body)
    }

    /// Wraps an `MDB_cursor`.
    public func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try TransactionOperations.scan(txn, keyspace, range, body)
    }

    /// Wraps `mdb_stat`.
    public func count(of keyspace: Keyspace) throws(StorageError) -> Int {
        try TransactionOperations.count(txn, keyspace)
    }

    /// Stores `value` under `key`, replacing any value there. Wraps `mdb_put`.
    public func put(_ value: [UInt8], for key: RecordKey, in database: Database) throws(StorageError) {
        _ = try put(value, key, database, flags: 0)
    }

    /// Stores the bytes of `value` under the key `key`, both borrowed rather than copied into arrays, replacing any
    /// value there: for rewriting a whole database a chunk of records at a time. Wraps `mdb_put`.
    ///
    /// - Throws: `StorageError` `.badValueSize` for an empty key or one over 511 bytes, or what `mdb_put` reports.
    package func put(
        _ value: UnsafeRawBufferPointer, forKey key: UnsafeRawBufferPointer, in database: Database
    ) throws(StorageError) {
        guard !key.isEmpty, key.count <= RecordKey.maximumLength else {
            throw StorageError(
                code: .badValueSize, operation: "mdb_put",
                message: "a record key of \(key.count) bytes is empty or exceeds LMDB's 511-byte limit")
        }
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataValue = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try record(mdb_put(txn, database.handle, &keyValue, &dataValue, 0), "mdb_put")
    }

    /// Stores `value` under `key` only if the key is free; returns `false`, changing nothing, if it is taken.
    /// Wraps `mdb_put` with `MDB_NOOVERWRITE`.
    public func insert(_ value: [UInt8], for key: RecordKey, in database: Database) throws(StorageError) -> Bool {
        try put(value, key, database, flags: UInt32(MDB_NOOVERWRITE))
    }

    /// Removes `key`; returns whether it was there. Wraps `mdb_del`.
    @discardableResult
    public func delete(_ key: RecordKey, in database: Database) throws(StorageError) -> Bool {
        let rc = key.bytes.withUnsafeBytes { keyBytes in
            var keyValue = MDB_val(
                mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(txn, database.handle, &keyValue, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        try record(rc, "mdb_del")
        return true
    }

    /// Opens the named database `name`, creating it if missing, as part of this transaction: if the transaction
    /// aborts, the database is not created. Wraps `mdb_dbi_open` with `MDB_CREATE`.
    public func createDatabase(_ name: String) throws(StorageError) -> Database {
        var dbi: UInt32 = 0
        try record(mdb_dbi_open(txn, name, UInt32(MDB_CREATE), &dbi), "mdb_dbi_open")
        let database = Database(name: name, handle: dbi)
        state.createdDatabases.append(database)
        return database
    }

    /// Removes every entry of `database`, keeping the database. Wraps `mdb_drop`.
    public func removeAll(in database: Database) throws(StorageError) {
        try record(mdb_drop(txn, database.handle, 0), "mdb_drop")
    }

    private func put(
        _ value: [UInt8], _ key: RecordKey, _ database: Database, flags: UInt32
    ) throws(StorageError) -> Bool {
        let rc = key.bytes.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyValue = MDB_val(
                    mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var dataValue = MDB_val(
                    mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return mdb_put(txn, database.handle, &keyValue, &dataValue, flags)
            }
        }
        if rc == MDB_KEYEXIST { return false }
        try record(rc, "mdb_put")
        return true
    }

    /// Throws for a failed call, remembering a full map so the environment grows it even if the body swallows
    /// the error.
    private func record(_ rc: Int32, _ operation: String) throws(StorageError) {
        guard rc != 0 else { return }
        if rc == MDB_MAP_FULL { state.noteMapFull() }
        throw StorageError(lmdbCode: rc, operation: operation)
    }
}

@available(*, unavailable)
extension WriteTransaction: Sendable {}

/// What one write transaction learned that outlives the body's errors: whether LMDB reported a full map
/// (passed up to the top-level transaction, which grows the map and runs again), and which databases it created.
final class WriteState {
    private(set) var mapFull = false
    var createdDatabases: [Database] = []
    let lease = TransactionLease()
    let parent: WriteState?

    init(parent: WriteState? = nil) { self.parent = parent }

    func noteMapFull() {
        mapFull = true
        parent?.noteMapFull()
    }
}

/// Whether a transaction is still open; every operation checks it, so a transaction smuggled out of its closure
/// traps instead of touching freed LMDB memory.
///
/// A pooled read transaction reuses its lease: each use gets a new generation, so a copy kept from an earlier
/// use stays invalid.
final class TransactionLease {
    private(set) var isOpen = true
    private(set) var generation: UInt64 = 0

    func end() { isOpen = false }

    /// Opens the lease for another use of a pooled transaction.
    func reopen() {
        generation &+= 1
        isOpen = true
    }

    @inline(__always)
    func checked(_ txn: OpaquePointer, generation: UInt64) -> OpaquePointer {
        precondition(
            isOpen && generation == self.generation,
            "a transaction was used after its closure returned; do all work inside the closure")
        return txn
    }
}
