/// Reads of one consistent state of a store: what every backend's snapshot, and every write, can do.
///
/// The catalog layer writes its lookups once, generic over this protocol, and runs them on an LMDB snapshot,
/// inside an LMDB write, or over a staged write that overlays pending changes on a snapshot (`StagedWrite`).
/// Buffers lent to a body are valid only during that call of the body.
public protocol StorageReading {
    /// Lends the value stored under `key` (1 to 511 bytes, else `.badValueSize`) without copying it, or `nil`
    /// when there is none.
    func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R

    /// Visits the entries of `range` in key order (bytewise, a shorter key before its extensions) until `body`
    /// returns `false`.
    func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws

    /// The number of entries in `keyspace`.
    func count(of keyspace: Keyspace) throws(StorageError) -> Int

    /// The value under `key` with the version a change set compares at commit. Backends whose entries carry
    /// a revision (etcd's mod revision) return it; the default stamps the value itself, which is exact: a
    /// version holds as long as the stored bytes are the same.
    func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue

    /// Visits the entries of `range` like `scan(_:in:_:)` and returns the version of what it visited (every
    /// entry handed to `body`, the last one included), which a change set's range read compares at commit.
    /// The default is a digest of the keys and values visited, exact for a backend that scans again under its
    /// writer lock; a backend with revisions returns its own stamp (etcd: the snapshot's revision and the mod
    /// revision of each entry visited), because it cannot scan again inside its commit.
    func versionedScan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws -> KeyVersion

    /// Says which keys the next reads will ask for, so that a backend reading over the network fetches them
    /// all in one request (etcd: one `Txn` of ranges) instead of one round trip each. What later reads return
    /// is unchanged. Local backends ignore it (the default).
    func prefetch(_ keys: [StorageKey]) throws(StorageError)
}

/// One key of one keyspace, for `StorageReading.prefetch(_:)`.
public struct StorageKey: Sendable {
    public var key: RecordKey
    public var keyspace: Keyspace

    public init(_ key: RecordKey, in keyspace: Keyspace) {
        self.key = key
        self.keyspace = keyspace
    }
}

/// A value as a snapshot held it, with the version to compare at commit.
public struct VersionedValue: Sendable, Hashable {
    /// The stored bytes, or `nil` when the key was absent.
    public var value: [UInt8]?
    public var version: KeyVersion

    public init(value: [UInt8]?, version: KeyVersion) {
        self.value = value
        self.version = version
    }
}

extension StorageReading {
    /// Does nothing: a local read costs less than planning one.
    public func prefetch(_ keys: [StorageKey]) throws(StorageError) {}

    public func versionedScan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws -> KeyVersion {
        var digest = RangeDigest()
        try scan(keyspace, in: range) { key, value in
            digest.add(key: key, value: value)
            return try body(key, value)
        }
        return digest.version
    }

    public func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue
    {
        let value = try withValue(forKeyBytes: key, in: keyspace) { $0.map { Array($0) } }
        return VersionedValue(value: value, version: value.map(KeyVersion.content) ?? .absent)
    }

    /// Lends the value stored under `key` without copying it; the buffer is valid only inside `body`.
    public func withValue<R>(
        for key: RecordKey, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        try key.bytes.withUnsafeBytes { keyBytes in try withValue(forKeyBytes: keyBytes, in: keyspace, body) }
    }

    /// The value stored under `key`, copied out, or `nil` when there is none.
    public func get(_ key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> [UInt8]? {
        do {
            return try withValue(for: key, in: keyspace) { $0.map { Array($0) } }
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("copying a value throws only StorageError: \(error)")
        }
    }

    /// The values stored under `keys`, in the order of `keys` (`nil` for each absent one), from this one state.
    public func values(for keys: [RecordKey], in keyspace: Keyspace) throws(StorageError) -> [[UInt8]?] {
        var result: [[UInt8]?] = []
        result.reserveCapacity(keys.count)
        for key in keys { result.append(try get(key, in: keyspace)) }
        return result
    }

    /// The entries of `range` in key order, copied out, at most `limit` of them.
    public func entries(
        in keyspace: Keyspace, range: KeyRange = .all, limit: Int = .max
    ) throws
        -> [(key: [UInt8], value: [UInt8])]
    {
        var result: [(key: [UInt8], value: [UInt8])] = []
        guard limit > 0 else { return result }
        try scan(keyspace, in: range) { key, value in
            result.append((Array(key), Array(value)))
            return result.count < limit
        }
        return result
    }
}

/// A write that sees its own pending changes: an LMDB write transaction, or a `StagedWrite` over a snapshot.
public protocol StorageWriting: StorageReading {
    /// Stores `value` under `key`, replacing any value there.
    func put(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError)
    /// Stores `value` under `key` only if the key is free; returns `false`, changing nothing, if it is taken.
    func insert(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool
    /// Removes `key`; returns whether it was there.
    @discardableResult
    func delete(_ key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool
}
