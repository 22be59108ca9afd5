internal import CatalogStorage

/// Every entry of a catalog's keyspaces as one snapshot held them, read once into memory: what an import on a
/// store stages over, so that its per-connection lookups cost no round trip each (a thousand connections are
/// two thousand lookups), and what the new generation is copied from.
///
/// It answers only what a snapshot answers; a change set staged over it is never committed (its writes are
/// copied into a new generation), so the default content versions are enough.
final class PreloadedState: StorageReading {
    /// Per keyspace handle: the entries in key order, and each key's place among them.
    private var entries: [UInt32: [(key: [UInt8], value: [UInt8])]] = [:]
    private var places: [UInt32: [[UInt8]: Int]] = [:]

    /// Reads every entry of `keyspaces` from `base`.
    init(_ base: some StorageReading, keyspaces: [Keyspace]) throws {
        for keyspace in keyspaces {
            var list: [(key: [UInt8], value: [UInt8])] = []
            try base.scan(keyspace, in: .all) { key, value in
                list.append((Array(key), Array(value)))
                return true
            }
            var place: [[UInt8]: Int] = [:]
            place.reserveCapacity(list.count)
            for (index, entry) in list.enumerated() { place[entry.key] = index }
            entries[keyspace.handle] = list
            places[keyspace.handle] = place
        }
    }

    /// Every entry of `keyspace`, in key order.
    func all(in keyspace: Keyspace) -> [(key: [UInt8], value: [UInt8])] { entries[keyspace.handle] ?? [] }

    func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        guard let index = places[keyspace.handle]?[Array(key)], let list = entries[keyspace.handle] else {
            return try body(nil)
        }
        return try list[index].value.withUnsafeBytes { try body($0) }
    }

    func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let list = entries[keyspace.handle] ?? []
        var start = range.lowerBound ?? []
        if let prefix = range.prefix, start.lexicographicallyPrecedes(prefix) { start = prefix }
        // The first entry at or after `start`.
        var low = 0
        var high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].key.lexicographicallyPrecedes(start) { low = middle + 1 } else { high = middle }
        }
        for entry in list[low...] {
            if let prefix = range.prefix, !entry.key.starts(with: prefix) { return }
            if let upper = range.upperBound, !entry.key.lexicographicallyPrecedes(upper) { return }
            let goOn = try entry.key.withUnsafeBytes { k in try entry.value.withUnsafeBytes { v in try body(k, v) } }
            if !goOn { return }
        }
    }

    func count(of keyspace: Keyspace) throws(StorageError) -> Int { entries[keyspace.handle]?.count ?? 0 }
}
