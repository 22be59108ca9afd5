/// A read-only snapshot, lent to the closure of `Environment.read`; it ends when the closure returns.
///
/// It cannot be copied or escape its closure, and is not `Sendable`.
public struct ReadTransaction: ~Copyable, StorageReading {
    let txn: OpaquePointer

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
}

@available(*, unavailable)
extension ReadTransaction: Sendable {}
