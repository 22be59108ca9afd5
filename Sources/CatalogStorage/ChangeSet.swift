/// What an optimistic write hands to its store: every key it read with the version it had, every range it
/// scanned, and its puts and deletes. The store applies it atomically, and only if every version still holds;
/// otherwise it writes nothing and throws `.conflict`.
public struct ChangeSet: Sendable {
    /// A key read, with the version it had.
    public struct Read: Sendable {
        public var keyspace: Keyspace
        public var key: [UInt8]
        public var version: KeyVersion
    }

    /// A range scanned: the entries seen, as a version over the whole range (up to `through`, inclusive, when
    /// the scan stopped early), so that an entry added, changed or removed inside it is a conflict too.
    public struct RangeRead: Sendable {
        public var keyspace: Keyspace
        public var range: KeyRange
        public var through: [UInt8]?
        public var version: KeyVersion
    }

    /// A put (`value` set) or a delete (`value` nil).
    public struct Write: Sendable {
        public var keyspace: Keyspace
        public var key: [UInt8]
        public var value: [UInt8]?
    }

    public var reads: [Read] = []
    public var rangeReads: [RangeRead] = []
    /// In keyspace then key order, one per key.
    public var writes: [Write] = []

    public init() {}

    /// No writes: committing it changes nothing (its reads are still checked).
    public var isReadOnly: Bool { writes.isEmpty }
}

extension StorageWriting {
    /// Checks every version `changes` read against this write's view, then applies its writes.
    ///
    /// A backend with a single writer calls this inside its write transaction, where nothing can move between
    /// the check and the writes.
    ///
    /// - Throws: `StorageError` `.conflict`, naming the keyspace and key, if any version no longer holds;
    ///   nothing of `changes` is then written.
    package func validateAndApply(_ changes: ChangeSet, halfway: (() -> Void)? = nil) throws {
        for read in changes.reads {
            let now = try read.key.withUnsafeBytes { key in try versionedValue(forKeyBytes: key, in: read.keyspace) }
            guard now.version == read.version else { throw StorageError.conflict(in: read.keyspace, key: read.key) }
        }
        for rangeRead in changes.rangeReads {
            var digest = RangeDigest()
            try scan(rangeRead.keyspace, in: rangeRead.range) { key, value in
                if let through = rangeRead.through, through.lexicographicallyPrecedes(key) { return false }
                digest.add(key: key, value: value)
                return true
            }
            guard digest.version == rangeRead.version else {
                throw StorageError.conflict(in: rangeRead.keyspace, key: rangeRead.range.lowerBound ?? [])
            }
        }
        for (index, write) in changes.writes.enumerated() {
            if index == changes.writes.count / 2 { halfway?() }
            let key = try RecordKey(write.key)
            if let value = write.value {
                try put(value, for: key, in: write.keyspace)
            } else {
                try delete(key, in: write.keyspace)
            }
        }
    }
}

/// The version of a scanned range: a hash of its keys and values in order, and their count.
struct RangeDigest {
    private var hasher = Hasher()
    private var count = 0

    mutating func add(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        hasher.combine(key.count)
        hasher.combine(bytes: key)
        hasher.combine(value.count)
        hasher.combine(bytes: value)
        count += 1
    }

    var version: KeyVersion {
        // Hasher is seeded once per process, and a change set is checked in the process that made it.
        KeyVersion(.digest(UInt64(bitPattern: Int64(hasher.finalize())), count: count))
    }
}

extension StorageError {
    /// A change set's read no longer holds: another writer changed what it read.
    package static func conflict(in keyspace: Keyspace, key: [UInt8]) -> StorageError {
        var error = StorageError(
            code: .conflict, operation: "commit",
            message:
                "another writer changed an entry of '\(keyspace.name)' that this transaction read; nothing was written")
        error.keyspace = keyspace.name
        error.key = key
        return error
    }
}
