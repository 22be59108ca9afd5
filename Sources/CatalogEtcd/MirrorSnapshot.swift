internal import CatalogStorage

#if canImport(Glibc)
    internal import Glibc
#endif

/// A snapshot served by the node-local mirror (`EtcdMirror`) at the mirror's revision: mirrored keyspaces from
/// memory, any other keyspace from etcd at that same revision, so the whole snapshot is one revision.
///
/// Lent by `EtcdStore.readMirrored(_:)`; not `Sendable`.
final class MirrorSnapshot: StorageReading {
    let state: EtcdMirror.State
    private let makeDirect: () -> EtcdSnapshot
    private var direct: EtcdSnapshot?

    init(state: EtcdMirror.State, direct: @escaping () -> EtcdSnapshot) {
        self.state = state
        self.makeDirect = direct
    }

    private func entries(of keyspace: Keyspace) -> [EtcdMirror.Entry]? {
        let handle = Int(keyspace.handle)
        return handle < state.keyspaces.count ? state.keyspaces[handle] : nil
    }

    private var etcd: EtcdSnapshot {
        if let direct { return direct }
        let made = makeDirect()
        direct = made
        return made
    }

    func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        guard let entries = entries(of: keyspace) else {
            return try etcd.withValue(forKeyBytes: key, in: keyspace, body)
        }
        guard let index = Self.index(of: key, in: entries) else { return try body(nil) }
        return try entries[index].value.withUnsafeBytes { try body($0) }
    }

    func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue {
        guard let entries = entries(of: keyspace) else {
            return try etcd.versionedValue(forKeyBytes: key, in: keyspace)
        }
        guard let index = Self.index(of: key, in: entries) else { return VersionedValue(value: nil, version: .absent) }
        return VersionedValue(value: entries[index].value, version: .revision(entries[index].modRevision))
    }

    func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard let entries = entries(of: keyspace) else { return try etcd.scan(keyspace, in: range, body) }
        var start = range.lowerBound ?? []
        if let prefix = range.prefix, start.lexicographicallyPrecedes(prefix) { start = prefix }
        var index = start.withUnsafeBytes { Self.lowerBound(of: $0, in: entries) }
        while index < entries.count {
            let entry = entries[index]
            if let prefix = range.prefix, !entry.key.starts(with: prefix) { return }
            if let upper = range.upperBound, !entry.key.lexicographicallyPrecedes(upper) { return }
            let goOn = try entry.key.withUnsafeBytes { k in try entry.value.withUnsafeBytes { v in try body(k, v) } }
            if !goOn { return }
            index += 1
        }
    }

    func versionedScan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws -> KeyVersion {
        guard let mirrored = entries(of: keyspace) else { return try etcd.versionedScan(keyspace, in: range, body) }
        var seen: [KeyVersion.KeyRevision] = []
        try scan(keyspace, in: range) { key, value in
            let modRevision = Self.index(of: key, in: mirrored).map { mirrored[$0].modRevision } ?? 0
            seen.append(KeyVersion.KeyRevision(key: Array(key), modRevision: modRevision))
            return try body(key, value)
        }
        return KeyVersion(.revisions(snapshot: state.revision, seen: seen))
    }

    func count(of keyspace: Keyspace) throws(StorageError) -> Int {
        guard let entries = entries(of: keyspace) else { return try etcd.count(of: keyspace) }
        return entries.count
    }

    /// The index of the entry whose key is `key`, found by binary search.
    private static func index(of key: UnsafeRawBufferPointer, in entries: [EtcdMirror.Entry]) -> Int? {
        let index = lowerBound(of: key, in: entries)
        guard index < entries.count, compare(entries[index].key, key) == 0 else { return nil }
        return index
    }

    private static func lowerBound(of key: UnsafeRawBufferPointer, in entries: [EtcdMirror.Entry]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if compare(entries[middle].key, key) < 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Bytewise order, a shorter key before its extensions (etcd's and LMDB's).
    private static func compare(_ stored: [UInt8], _ key: UnsafeRawBufferPointer) -> Int {
        stored.withUnsafeBytes { stored in
            let shared = min(stored.count, key.count)
            if shared > 0, let a = stored.baseAddress, let b = key.baseAddress {
                let order = memcmp(a, b, shared)
                if order != 0 { return Int(order) }
            }
            return stored.count - key.count
        }
    }
}

@available(*, unavailable)
extension MirrorSnapshot: Sendable {}
