internal import CatalogStorage

/// Where a `CatalogWriter`'s reads and writes go: straight into a storage write transaction (an autocommitted
/// write), into the overlay of an optimistic transaction over a snapshot (`CatalogTransaction`), or, for a
/// catalog on another store (etcd), into that store's write or a staged write over its snapshot.
///
/// An enum rather than a generic parameter keeps `CatalogWriter` one public type; the switch costs less than
/// a dynamic call, and the LMDB cases stay specialised.
enum WriterStorage: StorageWriting {
    case direct(WriteTransaction)
    case staged(StagedWrite<ReadTransaction>)
    case store(AnyStorageWriting)

    func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        switch self {
        case .direct(let tx): try tx.withValue(forKeyBytes: key, in: keyspace, body)
        case .staged(let staged): try staged.withValue(forKeyBytes: key, in: keyspace, body)
        case .store(let writer): try writer.withValue(forKeyBytes: key, in: keyspace, body)
        }
    }

    func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        switch self {
        case .direct(let tx): try tx.scan(keyspace, in: range, body)
        case .staged(let staged): try staged.scan(keyspace, in: range, body)
        case .store(let writer): try writer.scan(keyspace, in: range, body)
        }
    }

    func count(of keyspace: Keyspace) throws(StorageError) -> Int {
        switch self {
        case .direct(let tx): try tx.count(of: keyspace)
        case .staged(let staged): try staged.count(of: keyspace)
        case .store(let writer): try writer.count(of: keyspace)
        }
    }

    /// Only a store's write reads over the network; LMDB's reads are local.
    func prefetch(_ keys: [StorageKey]) throws(StorageError) {
        if case .store(let writer) = self { try writer.prefetch(keys) }
    }

    func put(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError) {
        switch self {
        case .direct(let tx): try tx.put(value, for: key, in: keyspace)
        case .staged(let staged): try staged.put(value, for: key, in: keyspace)
        case .store(let writer): try writer.put(value, for: key, in: keyspace)
        }
    }

    func insert(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool {
        switch self {
        case .direct(let tx): try tx.insert(value, for: key, in: keyspace)
        case .staged(let staged): try staged.insert(value, for: key, in: keyspace)
        case .store(let writer): try writer.insert(value, for: key, in: keyspace)
        }
    }

    @discardableResult
    func delete(_ key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool {
        switch self {
        case .direct(let tx): try tx.delete(key, in: keyspace)
        case .staged(let staged): try staged.delete(key, in: keyspace)
        case .store(let writer): try writer.delete(key, in: keyspace)
        }
    }
}
