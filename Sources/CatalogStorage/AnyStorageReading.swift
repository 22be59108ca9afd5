/// Any backend's snapshot (or write) seen as reads only, for `AnyTransactionalStore` and staged writes over it.
///
/// Every requirement forwards to the wrapped value, the versioned reads included, so a change set records
/// the backend's own versions (etcd's mod revisions), not a digest made here. Lent to a body; valid only as
/// long as what it wraps.
public struct AnyStorageReading: ReadForwarding {
    let base: any StorageReading

    public init(_ base: any StorageReading) { self.base = base }

    package var readingBase: any StorageReading { base }
}

@available(*, unavailable)
extension AnyStorageReading: Sendable {}

/// Any backend's write (or a staged write over any snapshot) behind one concrete type: reads forward like
/// `AnyStorageReading`'s, and puts, inserts and deletes to the wrapped write.
public struct AnyStorageWriting: StorageWriting, ReadForwarding {
    let base: any StorageWriting

    public init(_ base: any StorageWriting) { self.base = base }

    package var readingBase: any StorageReading { base }

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
