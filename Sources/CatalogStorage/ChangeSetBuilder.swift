/// The pending state of one optimistic transaction: an overlay of its puts and deletes over whatever snapshot
/// each step reads, and everything it read with the version it had.
///
/// It outlives any one snapshot: each step of the transaction (one SQL statement, say) opens a fresh snapshot
/// and works through `stage(over:_:)`, so no storage transaction stays open between steps. A key read twice
/// returns what it returned the first time (the read set keeps it), and the commit checks every read, so a
/// committed transaction saw one consistent state. Each step is atomic: if its body throws, its writes are
/// undone and the earlier steps' writes stay.
///
/// Work per step is proportional to what the step touches, never to the size of the transaction, until
/// `changeSet()` sorts the writes once. Not `Sendable`: one caller uses it at a time.
public final class ChangeSetBuilder {
    struct Slot: Hashable {
        let keyspace: UInt32
        let key: [UInt8]
    }

    /// Pending writes: a value, or `nil` for a delete.
    private(set) var overlay: [Slot: [UInt8]?] = [:]
    /// What was read from snapshots, as first read.
    private(set) var readSet: [Slot: VersionedValue] = [:]
    private(set) var rangeReads: [ChangeSet.RangeRead] = []
    private var keyspaces: [UInt32: Keyspace] = [:]
    /// The overlay's previous state of each slot the current step wrote, newest last.
    private var undoLog: [(Slot, [UInt8]??)] = []
    private var inStep = false

    public init() {}

    /// The number of keys with a pending put or delete.
    public var pendingWriteCount: Int { overlay.count }

    /// What the transaction first read under `key`, if it read it (for naming what a conflict was about).
    public func firstRead(of key: [UInt8], in keyspace: Keyspace) -> VersionedValue? {
        readSet[Slot(keyspace: keyspace.handle, key: key)]
    }

    /// Runs one step of the transaction over `snapshot`: `body`'s reads see the snapshot under the pending
    /// writes, and its writes join them. If `body` throws, its writes are undone and the error rethrown.
    public func stage<Snapshot: StorageReading, R>(
        over snapshot: Snapshot, _ body: (StagedWrite<Snapshot>) throws -> R
    ) throws -> R {
        precondition(!inStep, "a change set stages one step at a time; use the StagedWrite you have")
        inStep = true
        undoLog.removeAll(keepingCapacity: true)
        defer { inStep = false }
        do {
            return try body(StagedWrite(base: snapshot, builder: self))
        } catch {
            for (slot, previous) in undoLog.reversed() {
                if let previous { overlay[slot] = previous } else { overlay.removeValue(forKey: slot) }
            }
            undoLog.removeAll()
            throw error
        }
    }

    /// The change set to commit: every read with its version, every scanned range, the writes in key order.
    public func changeSet() -> ChangeSet {
        var changes = ChangeSet()
        changes.reads = readSet.map { slot, read in
            ChangeSet.Read(keyspace: keyspace(slot.keyspace), key: slot.key, version: read.version)
        }
        changes.rangeReads = rangeReads
        changes.writes = overlay.map { slot, value in
            ChangeSet.Write(keyspace: keyspace(slot.keyspace), key: slot.key, value: value)
        }
        changes.writes.sort { lhs, rhs in
            lhs.keyspace.handle != rhs.keyspace.handle
                ? lhs.keyspace.handle < rhs.keyspace.handle : lhs.key.lexicographicallyPrecedes(rhs.key)
        }
        return changes
    }

    // MARK: Used by StagedWrite

    func pending(_ slot: Slot) -> [UInt8]?? { overlay[slot] }

    func remembered(_ slot: Slot) -> VersionedValue? { readSet[slot] }

    func remember(_ read: VersionedValue, at slot: Slot, in keyspace: Keyspace) {
        readSet[slot] = read
        keyspaces[keyspace.handle] = keyspace
    }

    func remember(_ rangeRead: ChangeSet.RangeRead) { rangeReads.append(rangeRead) }

    func write(_ value: [UInt8]?, at slot: Slot, in keyspace: Keyspace) {
        undoLog.append((slot, overlay[slot]))
        overlay[slot] = .some(value)
        keyspaces[keyspace.handle] = keyspace
    }

    /// The pending writes of `keyspace` whose keys `range` admits, in key order.
    func pendingWrites(in keyspace: Keyspace, range: KeyRange) -> [(key: [UInt8], value: [UInt8]?)] {
        var result: [(key: [UInt8], value: [UInt8]?)] = []
        for (slot, value) in overlay where slot.keyspace == keyspace.handle && range.contains(slot.key) {
            result.append((slot.key, value))
        }
        result.sort { $0.key.lexicographicallyPrecedes($1.key) }
        return result
    }

    private func keyspace(_ handle: UInt32) -> Keyspace {
        guard let keyspace = keyspaces[handle] else { preconditionFailure("a slot of an unknown keyspace") }
        return keyspace
    }
}

@available(*, unavailable)
extension ChangeSetBuilder: Sendable {}
