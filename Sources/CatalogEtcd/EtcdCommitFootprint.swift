import CatalogStorage

/// The etcd keys a change set reads and writes, to tell whether change sets may share one `Txn`.
///
/// A merged `Txn` checks every member's compares against the state before it and then applies every member's
/// writes, which equals committing the members one after another only if no member writes what another reads
/// or writes. Two footprints therefore overlap when one's writes meet the other's reads, writes or scanned
/// ranges; shared reads are fine (a key compared at two revisions fails the `Txn`, and the retry sorts it out).
struct EtcdCommitFootprint: Sendable {
    private(set) var writes: Set<[UInt8]> = []
    private(set) var reads: Set<[UInt8]> = []
    private(set) var ranges: [(start: [UInt8], end: [UInt8])] = []

    init() {}

    /// The footprint of `changes` under `layout`.
    init(_ changes: ChangeSet, layout: EtcdKeyLayout) {
        for write in changes.writes { writes.insert(layout.key(write.key, in: write.keyspace)) }
        for read in changes.reads { reads.insert(layout.key(read.key, in: read.keyspace)) }
        for rangeRead in changes.rangeReads {
            if case .revisions(_, let seen) = rangeRead.version.stamp {
                for entry in seen { reads.insert(layout.key(entry.key, in: rangeRead.keyspace)) }
            }
            if let bounds = EtcdCommitPlan.bounds(of: rangeRead, in: layout) { ranges.append(bounds) }
        }
    }

    /// Whether a `Txn` holding both could not be replayed as one after the other.
    func overlaps(_ other: EtcdCommitFootprint) -> Bool {
        for key in other.writes where writes.contains(key) || reads.contains(key) || Self.covers(ranges, key) {
            return true
        }
        for key in writes where other.reads.contains(key) || Self.covers(other.ranges, key) {
            return true
        }
        return false
    }

    /// Adds `other`'s keys, for the footprint of a group.
    mutating func formUnion(_ other: EtcdCommitFootprint) {
        writes.formUnion(other.writes)
        reads.formUnion(other.reads)
        ranges.append(contentsOf: other.ranges)
    }

    private static func covers(_ ranges: [(start: [UInt8], end: [UInt8])], _ key: [UInt8]) -> Bool {
        ranges.contains { !key.lexicographicallyPrecedes($0.start) && key.lexicographicallyPrecedes($0.end) }
    }
}
