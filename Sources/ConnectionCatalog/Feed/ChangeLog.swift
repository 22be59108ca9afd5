internal import CatalogStorage
internal import Synchronization

/// The one writer and reader of the `changes` keyspace's keys (docs/format.md, "changes").
///
/// - **LMDB**: an entry's key is its sequence number, 8 bytes big-endian, so a cursor walks the log in commit
///   order. LMDB has one writer, so the sequence is exact and
///   gap-free; the entry is appended in the write transaction of the change itself. The newest number lives in
///   the log itself, under the one-byte key `0x00`, which sorts before every entry: the log's pages are
///   rewritten by every change anyway, while `meta` stays where it was written. The log keeps the newest
///   `Catalog.Options.changeLogRetention` entries: appending entry `n` deletes entry `n - retention`.
/// - **etcd** (and a pending LMDB `CatalogTransaction`): no counter, which would be one hot key every commit
///   compares (DESIGN §9). The key is unique by construction: a number that grows with every entry this process
///   makes (8, BE; it starts at the process's start time in microseconds) | connection id (16) | connection
///   version (8, BE) | kind (1). The first part keeps one transaction's entries in the order its statements
///   made them; etcd's commit revision orders commits. A pending LMDB transaction's entries are given sequence
///   numbers when it commits, in that order, inside the same LMDB transaction.
enum ChangeLog {
    /// The key of LMDB's entry number `sequence`.
    static func sequencedKey(_ sequence: UInt64) -> RecordKey {
        do { return try RecordKey(BigEndian.bytes(sequence)) } catch {
            preconditionFailure("8 bytes always make a key")
        }
    }

    /// The key of an entry whose place the store's commit decides.
    static func unsequencedKey(kind: CatalogChange.Kind, of connection: Connection) -> RecordKey {
        let order = entryOrder.add(1, ordering: .relaxed).newValue
        let bytes =
            BigEndian.bytes(order) + connection.id.bytes + BigEndian.bytes(connection.version) + [
                ChangeEntry.code(of: kind)
            ]
        do { return try RecordKey(bytes) } catch { preconditionFailure("33 bytes always make a key") }
    }

    /// Grows with every unsequenced entry this process makes.
    private static let entryOrder = Atomic<UInt64>(UInt64(max(0, Timestamp.nowMilliseconds())) * 1000)

    /// Where the LMDB log keeps its newest sequence number.
    static let sequenceKey: RecordKey = {
        do { return try RecordKey([0]) } catch { preconditionFailure("one byte always makes a key") }
    }()

    /// The first key of an entry (sequence 1): every entry key is at or after it, the sequence key before it.
    static let firstEntryKey = BigEndian.bytes(UInt64(1))

    /// The newest sequence number the LMDB log gave (0 before any).
    static func lastSequence(in tx: some StorageReading, log: Keyspace) throws -> UInt64 {
        // Read in place: this runs for every write.
        try sequenceKey.bytes.withUnsafeBytes { key in
            try tx.withValue(forKeyBytes: key, in: log) { value in value.flatMap(BigEndian.uint64) ?? 0 }
        }
    }

    /// Appends `entries` to the LMDB log in order, inside `tx`, trimming what falls out of `retention`.
    static func append(
        _ entries: some Collection<[UInt8]>, in tx: some StorageWriting, databases: CatalogDatabases, retention: Int
    ) throws {
        guard let changes = databases.changes, !entries.isEmpty else { return }
        var sequence = try lastSequence(in: tx, log: changes)
        var key: [UInt8] = []
        for entry in entries {
            sequence += 1
            key = try put(entry, numbered: sequence, in: tx, log: changes, retention: retention)
        }
        try tx.put(key, for: sequenceKey, in: changes)
    }

    /// The newest sequence number one write transaction has given, kept by its writer between its changes, so
    /// that a write of many changes reads the log's counter once: only that writer appends to the log in that
    /// transaction (a pending `CatalogTransaction`'s entries are numbered in a write of their own).
    final class Tail {
        var sequence: UInt64?
    }

    /// Appends one entry as `append(_:in:databases:retention:)` does, its number following `tail`'s (read from the
    /// log the first time), and writes the counter.
    static func append(
        _ entry: [UInt8], in tx: some StorageWriting, databases: CatalogDatabases, retention: Int, tail: Tail
    ) throws {
        guard let changes = databases.changes else { return }
        let sequence = try (tail.sequence ?? lastSequence(in: tx, log: changes)) + 1
        let key = try put(entry, numbered: sequence, in: tx, log: changes, retention: retention)
        try tx.put(key, for: sequenceKey, in: changes)
        tail.sequence = sequence
    }

    /// Puts entry `sequence` and deletes the one that falls out of `retention`; returns the entry's key bytes,
    /// which are also the counter's value (the sequence, 8 bytes big-endian).
    private static func put(
        _ entry: [UInt8], numbered sequence: UInt64, in tx: some StorageWriting, log: Keyspace, retention: Int
    ) throws -> [UInt8] {
        let key = sequencedKey(sequence)
        try tx.put(entry, for: key, in: log)
        if retention > 0, sequence > UInt64(retention) {
            try tx.delete(sequencedKey(sequence - UInt64(retention)), in: log)
        }
        return key.bytes
    }

    /// `changes` without its writes to the change log, and those entries' values in key order (the order they
    /// were made in), for an LMDB commit to number them; `nil` when it wrote no entry.
    static func splitPending(_ changes: ChangeSet, log: Keyspace) -> (rest: ChangeSet, entries: [[UInt8]])? {
        guard changes.writes.contains(where: { $0.keyspace == log }) else { return nil }
        var rest = changes
        rest.writes = changes.writes.filter { $0.keyspace != log }
        let entries = changes.writes.filter { $0.keyspace == log }.compactMap(\.value)
        return (rest, entries)
    }

    /// Up to `limit` events of the LMDB log after `revision`, in order, and the position to read on from.
    ///
    /// A `.reset` comes first when entries after `revision` were trimmed, or when the log is behind `revision`
    /// (the catalog was restored from an older backup).
    static func events(
        after revision: UInt64, limit: Int, in tx: some StorageReading, databases: CatalogDatabases
    )
        throws -> (events: [CatalogFeedEvent], position: UInt64)
    {
        guard let changes = databases.changes else { throw noLog() }
        let last = try lastSequence(in: tx, log: changes)
        if last < revision { return ([.reset(revision: last)], last) }
        if last == revision { return ([], revision) }
        var events: [CatalogFeedEvent] = []
        var position = revision
        try tx.scan(changes, in: KeyRange(from: BigEndian.bytes(revision + 1))) { key, value in
            guard let sequence = BigEndian.uint64(key) else { return true }
            if events.isEmpty, sequence > revision + 1 { events.append(.reset(revision: sequence - 1)) }
            events.append(.change(try ChangeEntry.decode(value, revision: sequence)))
            position = sequence
            return events.count < limit
        }
        // Everything up to `last` was trimmed: nothing left to tell but that.
        if events.isEmpty { return ([.reset(revision: last)], last) }
        return (events, position)
    }

    static func noLog() -> CatalogError {
        CatalogError(
            .unsupported,
            "this catalog has no change log: it was opened read-only at a schema version before 3; open it for "
                + "writing once to migrate it", details: ["reason": "no_change_log"])
    }
}
