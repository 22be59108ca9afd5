public import CatalogStorage
internal import Dispatch
internal import Foundation
internal import Synchronization
public import Testing

/// The storage contract (`TransactionalStore`) as checks every backend must pass: snapshot isolation,
/// read-your-writes, change-set conflicts, ordered scans and batched gets. Each check is written against the
/// protocol only and takes a fresh store (or a fresh prefix of one) with two keyspaces; the test targets of
/// the backends (LMDB in CatalogStorageTests, etcd in CatalogEtcdTests) run every one of them.
public enum StoreConformance {
    /// A snapshot does not see writes committed (from another thread) after it began.
    public static func snapshotIsolation<Store: TransactionalStore>(_ store: Store, _ keyspace: Keyspace) throws {
        try store.writeBlocking { tx in try tx.put([1], for: key("k"), in: keyspace) }
        try store.read { snapshot in
            #expect(try snapshot.get(key("k"), in: keyspace) == [1])
            // Another thread commits while this snapshot is open.
            try OtherThread(name: "writer") {
                try store.writeBlocking { tx in
                    try tx.put([2], for: key("k"), in: keyspace)
                    try tx.put([9], for: key("new"), in: keyspace)
                }
            }.join()
            #expect(try snapshot.get(key("k"), in: keyspace) == [1])
            #expect(try snapshot.get(key("new"), in: keyspace) == nil)
            #expect(try snapshot.count(of: keyspace) == 1)
        }
        #expect(try store.read { try $0.get(key("k"), in: keyspace) } == [2])
        #expect(try store.read { try $0.count(of: keyspace) } == 2)
    }

    /// A write and a staged write see their own pending changes; the store sees none until the commit.
    public static func readYourWrites<Store: TransactionalStore>(_ store: Store, _ keyspace: Keyspace) throws {
        try store.writeBlocking { tx in
            try tx.put([1], for: key("x"), in: keyspace)
            #expect(try tx.get(key("x"), in: keyspace) == [1])
            #expect(try tx.delete(key("x"), in: keyspace))
            #expect(try tx.get(key("x"), in: keyspace) == nil)
            try tx.put([2], for: key("y"), in: keyspace)
            #expect(try tx.insert([3], for: key("y"), in: keyspace) == false)
        }
        let builder = ChangeSetBuilder()
        try store.stage(builder) { staged in
            try staged.put([7], for: key("z"), in: keyspace)
            #expect(try staged.get(key("z"), in: keyspace) == [7])
            #expect(try staged.delete(key("y"), in: keyspace))
            #expect(try staged.get(key("y"), in: keyspace) == nil)
            #expect(try staged.count(of: keyspace) == 1)
        }
        // A later step sees the earlier step's changes; the store sees none of them yet.
        try store.stage(builder) { staged throws in
            #expect(try staged.get(key("z"), in: keyspace) == [7])
            #expect(try staged.insert([8], for: key("z"), in: keyspace) == false)
        }
        #expect(try store.read { try $0.get(key("y"), in: keyspace) } == [2])
        #expect(try store.read { try $0.get(key("z"), in: keyspace) } == nil)
        try store.commitBlocking(builder.changeSet())
        #expect(try store.read { try $0.get(key("y"), in: keyspace) } == nil)
        #expect(try store.read { try $0.get(key("z"), in: keyspace) } == [7])
    }

    struct Boom: Error {}

    /// A step that throws undoes only its own changes.
    public static func stepAtomicity<Store: TransactionalStore>(_ store: Store, _ keyspace: Keyspace) throws {
        let builder = ChangeSetBuilder()
        try store.stage(builder) { staged in try staged.put([1], for: key("kept"), in: keyspace) }
        #expect(throws: Boom.self) {
            try store.stage(builder) { staged in
                try staged.put([2], for: key("kept"), in: keyspace)
                try staged.put([3], for: key("undone"), in: keyspace)
                throw Boom()
            }
        }
        try store.commitBlocking(builder.changeSet())
        let values = try store.read { try $0.values(for: [key("kept"), key("undone")], in: keyspace) }
        #expect(values == [[1], nil])
    }

    /// What another writer does between a change set's reads and its commit.
    public enum Interference: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case changesAKeyItRead, deletesAKeyItRead, createsAKeyItReadAsAbsent, addsAKeyInARangeItScanned
        case changesAKeyInARangeItScanned, removesAKeyInARangeItScanned
        public var testDescription: String { rawValue }
    }

    /// A change set whose reads moved (`interference`) commits nothing and throws `.conflict` naming the keyspace.
    public static func conflict<Store: TransactionalStore>(
        _ store: Store, _ keyspace: Keyspace, _ other: Keyspace, _ interference: Interference
    ) throws {
        try store.writeBlocking { tx in
            for name in ["r/1", "r/2", "read"] { try tx.put([1], for: key(name), in: keyspace) }
        }
        let builder = ChangeSetBuilder()
        try store.stage(builder) { staged in
            switch interference {
            case .changesAKeyItRead, .deletesAKeyItRead: _ = try staged.get(key("read"), in: keyspace)
            case .createsAKeyItReadAsAbsent: #expect(try staged.get(key("absent"), in: keyspace) == nil)
            default:
                var seen = 0
                try staged.scan(keyspace, in: .prefix(Array("r/".utf8))) { _, _ in
                    seen += 1
                    return true
                }
                #expect(seen == 2)
            }
            try staged.put([42], for: key("written"), in: keyspace)
            try staged.put([42], for: key("written"), in: other)
        }
        // An unrelated commit first: it must not make the change set conflict.
        try store.writeBlocking { tx in try tx.put([5], for: key("unrelated"), in: keyspace) }
        try store.writeBlocking { tx in
            switch interference {
            case .changesAKeyItRead: try tx.put([2], for: key("read"), in: keyspace)
            case .deletesAKeyItRead: try tx.delete(key("read"), in: keyspace)
            case .createsAKeyItReadAsAbsent: try tx.put([2], for: key("absent"), in: keyspace)
            case .addsAKeyInARangeItScanned: try tx.put([2], for: key("r/15"), in: keyspace)
            case .changesAKeyInARangeItScanned: try tx.put([2], for: key("r/2"), in: keyspace)
            case .removesAKeyInARangeItScanned: try tx.delete(key("r/1"), in: keyspace)
            }
        }
        let changes = builder.changeSet()
        let error = try #require(throws: StorageError.self) { try store.commitBlocking(changes) }
        #expect(error.code == .conflict)
        #expect(error.keyspace == keyspace.name)
        #expect(try store.read { try $0.get(key("written"), in: keyspace) } == nil)
        #expect(try store.read { try $0.get(key("written"), in: other) } == nil)
    }

    /// A change set whose reads held commits all of its writes, through the async entry point.
    public static func atomicCommit<Store: TransactionalStore>(_ store: Store, _ keyspace: Keyspace) async throws {
        try store.writeBlocking { tx in try tx.put([1], for: key("read"), in: keyspace) }
        let builder = ChangeSetBuilder()
        try store.stage(builder) { staged in
            _ = try staged.get(key("read"), in: keyspace)
            _ = try staged.get(key("absent"), in: keyspace)
            for index in 0..<100 { try staged.put([UInt8(index)], for: key("w\(index)"), in: keyspace) }
        }
        try store.writeBlocking { tx in try tx.put([5], for: key("unrelated"), in: keyspace) }
        try await store.commit(builder.changeSet())
        #expect(try store.read { try $0.count(of: keyspace) } == 102)
    }

    /// Scans visit keys in bytewise order, with pending changes merged in.
    public static func orderedScans<Store: TransactionalStore>(_ store: Store, _ keyspace: Keyspace) throws {
        var generator = SplitMix(seed: 7)
        var model: [[UInt8]: [UInt8]] = [:]
        let stored = (0..<300).map { _ in randomKey(&generator) }
        try store.writeBlocking { tx in
            for bytes in stored.shuffled(using: &generator) {
                try tx.put([1], for: RecordKey(bytes), in: keyspace)
                model[bytes] = [1]
            }
        }
        func scanned(_ reader: some StorageReading, _ range: KeyRange, limit: Int = .max) throws -> [[UInt8]] {
            var keys: [[UInt8]] = []
            try reader.scan(keyspace, in: range) { key, _ in
                keys.append(Array(key))
                return keys.count < limit
            }
            return keys
        }
        func expected(_ range: KeyRange, limit: Int = .max) -> [[UInt8]] {
            Array(
                model.keys.sorted { $0.lexicographicallyPrecedes($1) }.filter { key in
                    (range.lowerBound.map { !key.lexicographicallyPrecedes($0) } ?? true)
                        && (range.upperBound.map { key.lexicographicallyPrecedes($0) } ?? true)
                        && (range.prefix.map { key.starts(with: $0) } ?? true)
                }.prefix(limit))
        }
        let ranges: [KeyRange] = [
            .all, .prefix([0x62]), .prefix([0x63, 0x61]), KeyRange(from: [0x62], to: [0x64]),
            KeyRange(from: [0x63, 0x63]),
        ]
        try store.read { snapshot throws in
            for range in ranges {
                #expect(try scanned(snapshot, range) == expected(range))
                #expect(try scanned(snapshot, range, limit: 5) == expected(range, limit: 5))
            }
        }
        // Pending puts (new and replacing) and deletes, merged in key order.
        let builder = ChangeSetBuilder()
        try store.stage(builder) { staged in
            for _ in 0..<100 {
                let bytes = randomKey(&generator)
                try staged.put([2], for: RecordKey(bytes), in: keyspace)
                model[bytes] = [2]
            }
            for bytes in stored.prefix(80) {
                try staged.delete(RecordKey(bytes), in: keyspace)
                model[bytes] = nil
            }
            for range in ranges {
                #expect(try scanned(staged, range) == expected(range))
                #expect(try scanned(staged, range, limit: 7) == expected(range, limit: 7))
            }
            var values: [[UInt8]: [UInt8]] = [:]
            try staged.scan(keyspace, in: .all) { key, value in
                values[Array(key)] = Array(value)
                return true
            }
            #expect(values == model)
            #expect(try staged.count(of: keyspace) == model.count)
        }
        try store.commitBlocking(builder.changeSet())
        try store.read { snapshot throws in
            for range in ranges { #expect(try scanned(snapshot, range) == expected(range)) }
        }
    }

    /// Batched gets answer in the order asked, in a snapshot and over a staged write.
    public static func batchedGets<Store: TransactionalStore>(_ store: Store, _ keyspace: Keyspace) throws {
        try store.writeBlocking { tx in
            for index in 0..<50 where index % 3 != 0 { try tx.put([UInt8(index)], for: key("k\(index)"), in: keyspace) }
        }
        let keys = (0..<50).reversed().map { key("k\($0)") }
        let expected: [[UInt8]?] = (0..<50).reversed().map { $0 % 3 == 0 ? nil : [UInt8($0)] }
        #expect(try store.read { try $0.values(for: keys, in: keyspace) } == expected)
        let builder = ChangeSetBuilder()
        try store.stage(builder) { staged in
            try staged.put([99], for: key("k0"), in: keyspace)
            try staged.delete(key("k1"), in: keyspace)
            var overlaid = expected
            overlaid[49] = [99]
            overlaid[48] = nil
            #expect(try staged.values(for: keys, in: keyspace) == overlaid)
        }
    }
}

extension StoreConformance {
    /// Prefetching changes no answer: in a snapshot, over a staged write with pending changes (which win), and
    /// at commit (a key prefetched and then read is checked like any read: another writer moving it conflicts).
    public static func prefetchedReads<Store: TransactionalStore>(
        _ store: Store, _ a: Keyspace, _ b: Keyspace
    ) throws {
        try store.writeBlocking { tx in
            try tx.put([1], for: key("p1"), in: a)
            try tx.put([2], for: key("p2"), in: b)
        }
        let keys = [StorageKey(key("p1"), in: a), StorageKey(key("p2"), in: b), StorageKey(key("absent"), in: a)]
        try store.read { snapshot throws in
            try snapshot.prefetch(keys)
            #expect(try snapshot.get(key("p1"), in: a) == [1])
            #expect(try snapshot.get(key("p2"), in: b) == [2])
            #expect(try snapshot.get(key("absent"), in: a) == nil)
            #expect(try snapshot.get(key("p2"), in: a) == nil)
        }
        let builder = ChangeSetBuilder()
        try store.stage(builder) { staged in
            try staged.put([9], for: key("p1"), in: a)
            try staged.prefetch(keys)
            #expect(try staged.get(key("p1"), in: a) == [9])
            #expect(try staged.get(key("p2"), in: b) == [2])
            #expect(try staged.get(key("absent"), in: a) == nil)
        }
        try store.writeBlocking { tx in try tx.put([3], for: key("p2"), in: b) }
        #expect {
            try store.commitBlocking(builder.changeSet())
        } throws: { error in
            (error as? StorageError)?.code == .conflict
        }
        #expect(try store.read { try $0.get(key("p1"), in: a) } == [1])
        // A write whose body prefetches commits what it wrote.
        try store.writeBlocking { tx in
            try tx.prefetch(keys)
            let seen = try tx.get(key("p2"), in: b)
            try tx.put(seen ?? [], for: key("copy"), in: a)
        }
        #expect(try store.read { try $0.get(key("copy"), in: a) } == [3])
    }
}

/// A small deterministic generator, so that a failing scan test fails the same way every run.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// 1 to 4 bytes from a small alphabet, so that prefixes and neighbours are common.
private func randomKey(_ generator: inout SplitMix) -> [UInt8] {
    (0..<Int.random(in: 1...4, using: &generator)).map { _ in UInt8.random(in: 0x61...0x64, using: &generator) }
}

/// An OS thread running a throwing body, joined with its error.
private final class OtherThread: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<(any Error)?>(nil)

    init(name: String, _ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            do { try body() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    func join() throws {
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

private func key(_ string: String) -> RecordKey {
    // Test keys are short literals: a failure here is a bug in the check itself.
    try! RecordKey(string)
}
