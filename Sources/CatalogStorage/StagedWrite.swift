/// One step of an optimistic transaction: reads see `base` under the transaction's pending writes, and
/// writes join the pending ones (`ChangeSetBuilder`). Nothing reaches the store until the change set commits.
///
/// Lent by `ChangeSetBuilder.stage(over:_:)`; valid only inside that call.
public struct StagedWrite<Base: StorageReading>: StorageWriting {
    let base: Base
    let builder: ChangeSetBuilder

    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        let slot = try Self.slot(key, keyspace)
        if let pending = builder.pending(slot) { return try Self.lend(pending, body) }
        return try Self.lend(try read(slot, keyspace).value, body)
    }

    public func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue
    {
        let slot = try Self.slot(key, keyspace)
        if let pending = builder.pending(slot) { return VersionedValue(value: pending, version: .absent) }
        return try read(slot, keyspace)
    }

    public func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let pending = builder.pendingWrites(in: keyspace, range: range)
        var next = 0
        var stopped = false
        var lastSeen: [UInt8]?
        /// Emits the pending writes before `key` (all of them, with `nil`); `false` once `body` stopped.
        func emitPending(before key: UnsafeRawBufferPointer?) throws -> Bool {
            while next < pending.count {
                let entry = pending[next]
                if let key, !entry.key.lexicographicallyPrecedes(key) { break }
                next += 1
                guard let value = entry.value else { continue }
                let goOn = try entry.key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try body(k, v) } }
                if !goOn { return false }
            }
            return true
        }
        let version = try base.versionedScan(keyspace, in: range) { key, value in
            lastSeen = Array(key)
            guard try emitPending(before: key) else {
                stopped = true
                return false
            }
            if next < pending.count, pending[next].key.elementsEqual(key) {
                let entry = pending[next]
                next += 1
                guard let replacement = entry.value else { return true }
                let goOn = try entry.key.withUnsafeBytes { k in try replacement.withUnsafeBytes { v in try body(k, v) }
                }
                if !goOn { stopped = true }
                return goOn
            }
            let goOn = try body(key, value)
            if !goOn { stopped = true }
            return goOn
        }
        if !stopped { _ = try emitPending(before: nil) }
        builder.remember(
            ChangeSet.RangeRead(
                keyspace: keyspace, range: range, through: stopped ? lastSeen : nil, version: version))
    }

    /// The snapshot's count corrected by the pending writes.
    public func count(of keyspace: Keyspace) throws(StorageError) -> Int {
        var total = try base.count(of: keyspace)
        do {
            for entry in builder.pendingWrites(in: keyspace, range: .all) {
                let existed = try entry.key.withUnsafeBytes { key in
                    try base.withValue(forKeyBytes: key, in: keyspace) { $0 != nil }
                }
                if existed && entry.value == nil { total -= 1 }
                if !existed && entry.value != nil { total += 1 }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("a presence check throws only StorageError: \(error)")
        }
        return total
    }

    /// Passes on to the snapshot the keys this transaction has neither written nor read yet.
    public func prefetch(_ keys: [StorageKey]) throws(StorageError) {
        let unread = keys.filter { key in
            let slot = ChangeSetBuilder.Slot(keyspace: key.keyspace.handle, key: key.key.bytes)
            return builder.pending(slot) == nil && builder.remembered(slot) == nil
        }
        if !unread.isEmpty { try base.prefetch(unread) }
    }

    public func put(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError) {
        builder.write(value, at: ChangeSetBuilder.Slot(keyspace: keyspace.handle, key: key.bytes), in: keyspace)
    }

    public func insert(_ value: [UInt8], for key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool {
        guard try !contains(key, in: keyspace) else { return false }
        try put(value, for: key, in: keyspace)
        return true
    }

    @discardableResult
    public func delete(_ key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool {
        guard try contains(key, in: keyspace) else { return false }
        builder.write(nil, at: ChangeSetBuilder.Slot(keyspace: keyspace.handle, key: key.bytes), in: keyspace)
        return true
    }

    private func contains(_ key: RecordKey, in keyspace: Keyspace) throws(StorageError) -> Bool {
        let slot = ChangeSetBuilder.Slot(keyspace: keyspace.handle, key: key.bytes)
        if let pending = builder.pending(slot) { return pending != nil }
        do {
            return try read(slot, keyspace).value != nil
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("a snapshot read throws only StorageError: \(error)")
        }
    }

    /// The snapshot's value of `slot`, as first read in this transaction (and remembered for the commit's check).
    private func read(_ slot: ChangeSetBuilder.Slot, _ keyspace: Keyspace) throws -> VersionedValue {
        if let remembered = builder.remembered(slot) { return remembered }
        let read = try slot.key.withUnsafeBytes { key in try base.versionedValue(forKeyBytes: key, in: keyspace) }
        builder.remember(read, at: slot, in: keyspace)
        return read
    }

    private static func slot(
        _ key: UnsafeRawBufferPointer, _ keyspace: Keyspace
    ) throws(StorageError)
        -> ChangeSetBuilder.Slot
    {
        ChangeSetBuilder.Slot(keyspace: keyspace.handle, key: try RecordKey(Array(key)).bytes)
    }

    private static func lend<R>(_ value: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        guard let value else { return try body(nil) }
        return try value.withUnsafeBytes { try body($0) }
    }
}

@available(*, unavailable)
extension StagedWrite: Sendable {}
