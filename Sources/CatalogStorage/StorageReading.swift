/// What every transaction can do: read one snapshot. The catalog layer writes its lookups once, generic over
/// this protocol, and runs them in read and write transactions alike.
public protocol StorageReading {
    /// The value stored under `key`, copied out, or `nil` when there is none. Wraps `mdb_get`.
    func get(_ key: RecordKey, in database: Database) throws(StorageError) -> [UInt8]?

    /// Lends the value stored under `key` without copying it; the buffer is valid only inside `body`.
    func withValue<R>(for key: RecordKey, in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> R)
        throws -> R

    /// `withValue(for:in:_:)` for a key the caller holds as bytes (in a stack buffer, say): checked like a
    /// `RecordKey` (1 to 511 bytes, else `.badValueSize`) but never copied into an array.
    func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R

    /// Visits the entries of `range` in key order until `body` returns `false`. Wraps an `MDB_cursor`.
    ///
    /// The buffers are valid only during the call of `body` that receives them.
    func scan(
        _ database: Database, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws

    /// The number of entries in `database`. Wraps `mdb_stat`.
    func count(of database: Database) throws(StorageError) -> Int
}

extension StorageReading {
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
