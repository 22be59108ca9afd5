/// A type erasure whose reads are those of the value it wraps: every requirement of `StorageReading` is
/// written once here and forwards to `readingBase`, the versioned reads included (so a change set records the
/// backend's own versions, not a digest made by the wrapper).
package protocol ReadForwarding: StorageReading {
    /// What the reads go to.
    var readingBase: any StorageReading { get }
}

extension ReadForwarding {
    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try readingBase.withValue(forKeyBytes: key, in: keyspace, body)
    }

    public func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try readingBase.scan(keyspace, in: range, body)
    }

    public func count(of keyspace: Keyspace) throws(StorageError) -> Int { try readingBase.count(of: keyspace) }

    public func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue
    {
        try readingBase.versionedValue(forKeyBytes: key, in: keyspace)
    }

    public func versionedScan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws -> KeyVersion {
        try readingBase.versionedScan(keyspace, in: range, body)
    }

    public func prefetch(_ keys: [StorageKey]) throws(StorageError) { try readingBase.prefetch(keys) }
}
