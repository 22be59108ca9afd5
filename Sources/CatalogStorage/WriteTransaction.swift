internal import CLMDB

/// A write transaction, lent to the closure of `Environment.write`: it commits when the closure returns and
/// aborts when it throws. It cannot be copied, escape its closure or leave its thread.
public struct WriteTransaction: ~Copyable, StorageReading {
    let txn: OpaquePointer
    let state: WriteState

    public func get(_ key: RecordKey, in database: Database) throws(StorageError) -> [UInt8]? {
        try TransactionOperations.get(txn, key, database)
    }

    public func withValue<R>(for key: RecordKey, in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> R)
        throws -> R
    {
        try TransactionOperations.withValue(txn, key, database, body)
    }

    public func scan(
        _ database: Database, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try TransactionOperations.scan(txn, database, range, body)
    }

    public func count(of database: Database) throws(StorageError) -> Int {
        try TransactionOperations.count(txn, database)
    }

    /// Stores `value` under `key`, replacing any value there. Wraps `mdb_put`.
    public func put(_ value: [UInt8], for key: RecordKey, in database: Database) throws(StorageError) {
        _ = try put(value, key, database, flags: 0)
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
            var keyValue = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(txn, database.handle, &keyValue, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        try record(rc, "mdb_del")
        return true
    }

    /// Removes every entry of `database`, keeping the database. Wraps `mdb_drop`.
    public func removeAll(in database: Database) throws(StorageError) {
        try record(mdb_drop(txn, database.handle, 0), "mdb_drop")
    }

    private func put(_ value: [UInt8], _ key: RecordKey, _ database: Database, flags: UInt32) throws(StorageError) -> Bool {
        let rc = key.bytes.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyValue = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var dataValue = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
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
        if rc == MDB_MAP_FULL { state.mapFull = true }
        throw StorageError(lmdbCode: rc, operation: operation)
    }
}

@available(*, unavailable)
extension WriteTransaction: Sendable {}

/// What a write attempt learned that outlives the body's errors: whether LMDB reported a full map.
final class WriteState {
    var mapFull = false
}
