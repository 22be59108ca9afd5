/// A read-only snapshot, lent to the closure of `Environment.read`; it ends when the closure returns.
///
/// It is not `Sendable`, so it stays on its thread. Layers above may wrap it in their own types; using it after
/// its closure has returned is a programming error and traps.
public struct ReadTransaction: StorageReading {
    private let rawTxn: OpaquePointer
    private let lease: TransactionLease
    private let generation: UInt64

    init(txn: OpaquePointer, lease: TransactionLease) {
        rawTxn = txn
        self.lease = lease
        generation = lease.generation
    }

    /// The transaction pointer, after checking the transaction is still open (a transaction used after its
    /// closure returned traps here).
    var txn: OpaquePointer { lease.checked(rawTxn, generation: generation) }

    /// Wraps `mdb_get`.
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
}

@available(*, unavailable)
extension ReadTransaction: Sendable {}
