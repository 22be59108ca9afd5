import CatalogStorage

/// Where a catalog's entries live in etcd's one flat, bytewise-ordered key space: `/<prefix>/<keyspace>/` then
/// the raw key bytes, and the commit tokens under `/<prefix>/_commits/`.
///
/// Keyspace names hold no `/` and do not start with `_`, so no keyspace's keys fall inside another's range
/// or among the tokens. A keyspace scan is the etcd range [`/<prefix>/<keyspace>/`, `/<prefix>/<keyspace>0`),
/// `0` being the byte after `/`. etcd orders keys bytewise, a shorter key before its extensions, as LMDB does.
struct EtcdKeyLayout: Sendable {
    let catalogPrefix: [UInt8]
    /// `/<prefix>/<keyspace>/`, by keyspace handle.
    private let keyspacePrefixes: [[UInt8]]
    let tokenPrefix: [UInt8]

    init(prefix: String, keyspaces: [String]) {
        catalogPrefix = Array("/\(prefix)/".utf8)
        keyspacePrefixes = keyspaces.map { Array("/\(prefix)/\($0)/".utf8) }
        tokenPrefix = Array("/\(prefix)/_commits/".utf8)
    }

    /// The etcd key of `key` in `keyspace`.
    func key(_ key: some Sequence<UInt8>, in keyspace: Keyspace) -> [UInt8] {
        keyspacePrefix(keyspace) + key
    }

    /// `key` without its keyspace's prefix (etcd hands back whole keys).
    func rawKey(_ etcdKey: [UInt8], in keyspace: Keyspace) -> ArraySlice<UInt8> {
        etcdKey.dropFirst(keyspacePrefix(keyspace).count)
    }

    func keyspacePrefix(_ keyspace: Keyspace) -> [UInt8] { keyspacePrefixes[Int(keyspace.handle)] }

    /// Every key of `keyspace`.
    func bounds(of keyspace: Keyspace) -> (start: [UInt8], end: [UInt8]) {
        let prefix = keyspacePrefix(keyspace)
        return (prefix, Self.successor(ofPrefix: prefix))
    }

    /// The etcd range [start, end) of `range` in `keyspace`, or `nil` when it holds no key at all.
    func bounds(of range: KeyRange, in keyspace: Keyspace) -> (start: [UInt8], end: [UInt8])? {
        let prefix = keyspacePrefix(keyspace)
        var start = prefix + (range.lowerBound ?? [])
        var end = range.upperBound.map { prefix + $0 } ?? Self.successor(ofPrefix: prefix)
        if let keyPrefix = range.prefix {
            let whole = prefix + keyPrefix
            if start.lexicographicallyPrecedes(whole) { start = whole }
            let after = Self.successor(ofPrefix: whole)
            if after.lexicographicallyPrecedes(end) { end = after }
        }
        return start.lexicographicallyPrecedes(end) ? (start, end) : nil
    }

    /// The first key after every key that starts with `prefix` (which starts with `/`, so one always exists).
    static func successor(ofPrefix prefix: [UInt8]) -> [UInt8] {
        var result = prefix
        while let last = result.last, last == 0xFF { result.removeLast() }
        precondition(!result.isEmpty, "a layout prefix starts with '/'")
        result[result.count - 1] += 1
        return result
    }
}
