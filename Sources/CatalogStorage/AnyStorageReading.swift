/// Any backend's snapshot (or write) seen as reads only, for `AnyTransactionalStore` and staged writes over it.
///
/// Every requirement forwards to the wrapped value, the versioned reads included, so a change set records
/// the backend's own versions (etcd's mod revisions), not a digest made here. Lent to a body; valid only as
/// long as what it wraps.
public struct AnyStorageReading: StorageReading {
    let base: any StorageReading

    public init(_ base: any StorageReading) { self.base = base }

    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try base.withValue(forKeyBytes: key, in: keyspace, body)
    }

    public func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try base.scan(keyspace, in: range, body)
    }

    public func count(of keyspace: Keyspace) throws(StorageError) -> Int { try base.count(of: keyspace) }

    public func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue
    {
        try base.versionedValue(forKeyBytes: key, in: keyspace)
    }

    public func versionedScan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws -> KeyVersion {
        try base.versionedScan(keyspace, in: range, body)
    }

    public func prefetch(_ keys: [StorageKey]) throws(StorageError) { try base.prefetch(keys) }
}

@available(*, unavailable)
extension AnyStorageReading: Sendable {}

/// Any backend's write (or a staged write over any snapshot) behind one concrete type: reads forward like
/// `AnyStorageReading`'s, and puts, inserts and deletes to the wrapped write.
public struct AnyStorageWriting: StorageWriting {
    let base: any StorageWriting

    public init(_ base: any StorageWriting) { self.base = base }

    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try base.withValue(forKeyBytes: key, in: keyspace, body)
    }

    public func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try base.scan(keyspace, in: range, body)
    }

    public func count(of keyspace: Keyspace) throws(StorageError) -> Int { try base.count(of: keyspace) }

    public func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue
    {
        try base.versionedValue(forKeyBytes: key, in: keyspace)
    }

    public func versionedScan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws -> KeyVersion {
        try base.versionedScan(keyspace, in: range, body)
    }

    public func prefetch(_ keys: [StorageKey]) throws(StorageError) { try base.prefetch(keys) }

    public func put(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError) {
        try base.put(value, for: key, in: keyspace)
    }

    public func insert(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool {
        try base.insert(value, for: key, in: keyspace)
    }

    @discardableResult
    public func delete(_ key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool {
        try base.delete(key, in: keyspace)
    }
}

@available(*, unavailable)
extension AnyStorageWriting: Sendable {}
