import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Testing

/// `AnyStorageReading` and `AnyStorageWriting` read what they wrap, versions included: over an etcd snapshot
/// the version of a key is its mod revision, never a digest the wrapper made of the value.
@Suite(.sharedEtcdCluster) struct EtcdTypeErasureTests {
    @Test func erasedReadsAreTheSnapshotsOwnVersionedReads() throws {
        let store = try EtcdStore.open(
            endpoints: SharedEtcdCluster.cluster.endpoints, prefix: freshPrefix("erasure"), options: testOptions())
        let keyspace = try store.keyspace("a")
        let key = try RecordKey(Array("k".utf8))
        try store.writeBlocking { writer in try writer.put([1, 2, 3], for: key, in: keyspace) }
        try store.read { snapshot in
            let own = try key.bytes.withUnsafeBytes { try snapshot.versionedValue(forKeyBytes: $0, in: keyspace) }
            let erased = AnyStorageReading(snapshot)
            let throughReading = try key.bytes.withUnsafeBytes {
                try erased.versionedValue(forKeyBytes: $0, in: keyspace)
            }
            #expect(throughReading == own)
            #expect(try erased.get(key, in: keyspace) == [1, 2, 3])
            #expect(try erased.count(of: keyspace) == 1)
            var ownScan: [[UInt8]] = []
            let ownStamp = try snapshot.versionedScan(keyspace, in: .all) { _, value in
                ownScan.append(Array(value))
                return true
            }
            var erasedScan: [[UInt8]] = []
            let erasedStamp = try erased.versionedScan(keyspace, in: .all) { _, value in
                erasedScan.append(Array(value))
                return true
            }
            #expect(erasedScan == ownScan)
            #expect(erasedStamp == ownStamp)
        }
        try store.writeBlocking { writer in
            let erased = AnyStorageWriting(copy writer)
            let inside = try key.bytes.withUnsafeBytes { try erased.versionedValue(forKeyBytes: $0, in: keyspace) }
            let own = try key.bytes.withUnsafeBytes { try writer.versionedValue(forKeyBytes: $0, in: keyspace) }
            #expect(inside == own)
            #expect(try erased.insert([4], for: key, in: keyspace) == false)
        }
    }
}
