/// What every transaction can do: read one snapshot. The catalog layer writes its lookups once, generic over
/// this protocol, and runs them in read and write transactions alike.
///
/// A transaction provides only its handle; the reads are written once, here, for both kinds.
public protocol StorageReading {
    /// The transaction's LMDB handle, checked to be still open (a transaction used after its closure returned
    /// traps here). Opaque outside the storage layer.
    var snapshotHandle: SnapshotHandle { get }
}

/// An open LMDB transaction, as the shared read operations need it; nothing outside the storage layer can
/// look inside.
public struct SnapshotHandle {
    let txn: OpaquePointer
}

@available(*, unavailable)
extension SnapshotHandle: Sendable {}

extension StorageReading {
    /// The value stored under `key`, copied out, or `nil` when there is none. Wraps `mdb_get`.
    public func get(_ key: RecordKey, in database: Database) throws(StorageError) -> [UInt8]? {
        try TransactionOperations.get(snapshotHandle.txn, key, database)
    }

    /// Lends the value stored under `key` without copying it; the buffer is valid only inside `body`.
    public func withValue<R>(
        for key: RecordKey, in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try TransactionOperations.withValue(snapshotHandle.txn, key, database, body)
    }

    /// `withValue(for:in:_:)` for a key the caller holds as bytes (in a stack buffer, say): checked like a
    /// `RecordKey` (1 to 511 bytes, else `.badValueSize`) but never copied into an array.
    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try TransactionOperations.withValue(snapshotHandle.txn, keyBytes: key, database, body)
    }

    /// Visits the entries of `range` in key order until `body` returns `false`. Wraps an `MDB_cursor`.
    ///
    /// The buffers are valid only during the call of `body` that receives them.
    public func scan(
        _ database: Database, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try TransactionOperations.scan(snapshotHandle.txn, database, range, body)
    }

    /// The number of entries in `database`. Wraps `mdb_stat`.
    public func count(of database: Database) throws(StorageError) -> Int {
        try TransactionOperations.count(snapshotHandle.txn, database)
    }

    /// The entries of `range` in key order, copied out, at most `limit` of them.
    public func entries(in database: Database, range: KeyRange = .all, limit: Int = .max) throws
        -> [(key: [UInt8], value: [UInt8])]
    {
        var result: [(key: [UInt8], value: [UInt8])] = []
        guard limit > 0 else { return result }
        try scan(database, in: range) { key, value in
            result.append((Array(key), Array(value)))
            return result.count < limit
        }
        return result
    }
}
