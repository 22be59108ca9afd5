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

    /// The transaction pointer, after checking the transaction is still open.
    private var txn: OpaquePointer { lease.checked(rawTxn, generation: generation) }

    public func get(_ key: RecordKey, in database: Database) throws(StorageError) -> [UInt8]? {
        try TransactionOperations.get(txn, key, database)
    }

    public func withValue<R>(for key: RecordKey, in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> R)
        throws -> R
    {
        try TransactionOperations.withValue(txn, key, database, body)
    }

    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try TransactionOperations.withValue(txn, keyBytes: key, database, body)
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
}

@available(*, unavailable)
extension ReadTransaction: Sendable {}
