import CatalogEtcd
import CatalogSealing
import CatalogStorage
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

/// The node-local read cache of a catalog on etcd: reads served from a copy kept by a watch, writes unchanged.
@Suite(.sharedEtcdCluster)
struct EtcdReadCacheTests {
    @Test func aNodeReadsItsOwnWritesThroughTheCacheAtOnce() throws {
        let test = EtcdTestCatalog("cache-own")
        let (catalog, store) = try open(test, member: 0)
        #expect(try catalog.read { reader in try reader.count() } == 0)
        let created = try catalog.writeBlocking { w in try w.create(awsFunction("fn")).connection }
        #expect(try catalog.read { reader in try reader.connection(named: name("fn")) } == created)
        try catalog.writeBlocking { w in try w.alter(name("fn"), .comment("second")) }
        let read = try #require(try catalog.read { reader in try reader.connection(named: name("fn")) })
        #expect(read.version == 2 && read.comment == "second")
        #expect(try catalog.read { reader in try reader.externalID(ofConnectionNamed: name("fn")) }?.count == 16)
        try catalog.writeBlocking { w in try w.create(awsFunction("fx")) }
        #expect(try catalog.read { reader in try reader.summaries(prefix: "f").map(\.name.rawValue) } == ["fn", "fx"])
        // History is not cached: read from etcd at the cache's revision, it agrees with the records.
        #expect(try catalog.read { reader in try reader.history(of: created.id).map(\.version) } == [1])
        try catalog.writeBlocking { w in try w.drop(name("fn")) }
        #expect(try catalog.read { reader in try reader.connection(named: name("fn")) } == nil)
        #expect(try catalog.read { reader in try reader.count() } == 1)
        // On a busy machine the copy may still be loading (those reads went to etcd): it serves within 30 s.
        let deadline = Date().addingTimeInterval(30)
        while store.mirroredReads == 0, Date() < deadline {
            #expect(try catalog.read { reader in try reader.count() } == 1)
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(store.mirroredReads > 0, "the reads were served by the cache")
    }

    @Test func anotherNodesWriteReachesTheCache() throws {
        let test = EtcdTestCatalog("cache-other")
        let (cached, store) = try open(test, member: 0)
        let other = try test.open(member: 2)
        try other.writeBlocking { w in try w.create(awsFunction("fn")) }
        _ = try cached.read { reader in try reader.count() }
        try other.writeBlocking { w in try w.alter(name("fn"), .comment("from the other node")) }
        // The cache is a moment behind another node's write, and on a busy machine still loading (reads go to
        // etcd meanwhile): wait until the cache itself serves the new version (bounded, so a broken cache fails).
        let deadline = Date().addingTimeInterval(30)
        var seen: Connection?
        repeat {
            let served = store.mirroredReads
            seen = try cached.read { reader in try reader.connection(named: name("fn")) }
            if seen?.version == 2, store.mirroredReads > served { break }
            Thread.sleep(forTimeInterval: 0.005)
        } while Date() < deadline
        #expect(seen?.comment == "from the other node")
        #expect(store.mirroredReads > 0)
    }

    @Test func writesAndTransactionsStillReadEtcdSoConflictsStayExact() throws {
        let test = EtcdTestCatalog("cache-write")
        let (cached, _) = try open(test, member: 0)
        let other = try test.open(member: 1)
        try cached.writeBlocking { w in try w.create(awsFunction("fn")) }
        _ = try cached.read { reader in try reader.connection(named: name("fn")) }
        // A transaction that read the connection conflicts when another node changes it before COMMIT.
        let transaction = cached.beginTransaction()
        try transaction.step { w in try w.alter(name("fn"), .comment("mine")) }
        try other.writeBlocking { w in try w.alter(name("fn"), .comment("theirs")) }
        let error = try #require(throws: CatalogError.self) { try transaction.commitBlocking() }
        #expect(error.code == .conflict)
        // A write right after another node's write reads etcd, not the cache: it applies on top, first time.
        try other.writeBlocking { w in try w.alter(name("fn"), .comment("theirs again")) }
        let next = try cached.writeBlocking { w in try w.alter(name("fn"), expectedVersion: 3, .comment("after")) }
        #expect(next.version == 4)
        #expect(try cached.read { reader in try reader.connection(named: name("fn")) }?.comment == "after")
    }

    private func open(_ test: EtcdTestCatalog, member: Int) throws -> (Catalog, EtcdStore) {
        let cluster = SharedEtcdCluster.cluster
        var options = EtcdStore.Options(keyspaces: Catalog.storeKeyspaces)
        options.giveUpAfter = .seconds(20)
        options.readCacheKeyspaces = Catalog.readCacheKeyspaces
        let endpoints = Array(cluster.endpoints[member...] + cluster.endpoints[..<member])
        let store = try EtcdStore.open(endpoints: endpoints, prefix: test.prefix, options: options)
        let catalog = try Catalog.open(
            store: store, description: "etcd://test/\(test.prefix)", keySource: .keyFile(path: test.keyFile),
            options: Catalog.Options(creator: "tester"))
        return (catalog, store)
    }
}
