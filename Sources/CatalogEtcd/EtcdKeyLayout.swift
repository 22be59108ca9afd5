import CatalogStorage

/// Where a catalog's entries live in etcd's one flat, bytewise-ordered key space.
///
/// A catalog's keyspaces live in one **generation**: the first one (before any import or restore) directly
/// under the prefix, `/<prefix>/<keyspace>/` then the raw key bytes; a later one under
/// `/<prefix>/_gen/<id>/<keyspace>/`. The pointer key `/<prefix>/_generation` names the live generation (absent:
/// the first). Commit tokens live under `/<prefix>/_commits/`.
///
/// Keyspace names hold no `/` and do not start with `_`, so no keyspace's keys fall inside another's range,
/// among the tokens or among the generations. A keyspace scan is the etcd range
/// [`<root><keyspace>/`, `<root><keyspace>0`), `0` being the byte after `/`. etcd orders keys bytewise, a
/// shorter key before its extensions, as LMDB does.
struct EtcdKeyLayout: Sendable {
    let catalogPrefix: [UInt8]
    private let prefix: String
    /// The live generation's id, `nil` for the first generation (keys directly under the prefix).
    let generation: String?
    /// Where this generation's keyspaces start: `/<prefix>/` or `/<prefix>/_gen/<id>/`.
    let root: [UInt8]
    /// `<root><keyspace>/`, by keyspace handle.
    private let keyspacePrefixes: [[UInt8]]
    private let keyspaceNames: [String]
    let tokenPrefix: [UInt8]
    /// `/<prefix>/_generation`: the id of the live generation (absent: the first).
    let pointerKey: [UInt8]
    /// `/<prefix>/_gen/`: every generation after the first lives below it.
    let generationsPrefix: [UInt8]

    init(prefix: String, keyspaces: [String], generation: String? = nil) {
        catalogPrefix = Array("/\(prefix)/".utf8)
        self.prefix = prefix
        self.generation = generation
        keyspaceNames = keyspaces
        generationsPrefix = Array("/\(prefix)/_gen/".utf8)
        root = generation.map { Array("/\(prefix)/_gen/\($0)/".utf8) } ?? Array("/\(prefix)/".utf8)
        keyspacePrefixes = keyspaces.map { [root] in root + Array("\($0)/".utf8) }
        tokenPrefix = Array("/\(prefix)/_commits/".utf8)
        pointerKey = Array("/\(prefix)/_generation".utf8)
    }

    /// The same catalog's layout in generation `id` (`nil`: the first).
    func inGeneration(_ id: String?) -> EtcdKeyLayout {
        EtcdKeyLayout(prefix: prefix, keyspaces: keyspaceNames, generation: id)
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

    /// Every keyspace handle this layout knows, in order.
    var keyspaceCount: Int { keyspacePrefixes.count }

    /// Every key of `keyspace`.
    func bounds(of keyspace: Keyspace) -> (start: [UInt8], end: [UInt8]) {
        bounds(ofKeyspaceAt: Int(keyspace.handle))
    }

    /// Every key of the keyspace with handle `index`.
    func bounds(ofKeyspaceAt index: Int) -> (start: [UInt8], end: [UInt8]) {
        let prefix = keyspacePrefixes[index]
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

    /// `key`, a key of this layout's generation, as the same key of `other`'s generation.
    func translated(_ key: [UInt8], to other: EtcdKeyLayout) -> [UInt8] {
        precondition(key.starts(with: root), "a key of one generation starts with its root")
        return other.root + key.dropFirst(root.count)
    }

    /// The ranges that hold the data of generation `id` (`nil`: the first, one range per keyspace, as its keys
    /// sit beside the tokens and the other generations).
    func dataRanges(ofGeneration id: String?) -> [(start: [UInt8], end: [UInt8])] {
        let layout = inGeneration(id)
        guard id != nil else { return (0..<layout.keyspaceCount).map { layout.bounds(ofKeyspaceAt: $0) } }
        return [(layout.root, Self.successor(ofPrefix: layout.root))]
    }

    /// The key a generation being built is marked with while it is written (`<root>_building`), so that its
    /// switch can check nobody removed it meanwhile.
    var buildingMarker: [UInt8] { root + Array("_building".utf8) }

    /// The first key after every key that starts with `prefix` (which starts with `/`, so one always exists).
    static func successor(ofPrefix prefix: [UInt8]) -> [UInt8] {
        var result = prefix
        while let last = result.last, last == 0xFF { result.removeLast() }
        precondition(!result.isEmpty, "a layout prefix starts with '/'")
        result[result.count - 1] += 1
        return result
    }
}
