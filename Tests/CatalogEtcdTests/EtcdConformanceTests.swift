import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Testing

/// The storage contract on etcd: every check of `StoreConformance` (the same ones CatalogStorageTests runs on
/// LMDB) against an `EtcdStore` on a real 3-member cluster, each test under its own catalog prefix.
@Suite(.sharedEtcdCluster) struct EtcdConformanceTests {
    /// A store on every member (requests go to the first and move on when it does not answer).
    struct Fixture {
        let store: EtcdStore
        let a: Keyspace
        let b: Keyspace

        init() throws {
            store = try EtcdStore.open(
                endpoints: SharedEtcdCluster.cluster.endpoints, prefix: freshPrefix("conformance"),
                options: testOptions())
            a = try store.keyspace("a")
            b = try store.keyspace("b")
        }
    }

    @Test func aSnapshotDoesNotSeeWritesCommittedAfterItBegan() throws {
        let fixture = try Fixture()
        try StoreConformance.snapshotIsolation(fixture.store, fixture.a)
    }

    @Test func aWriteAndAStagedWriteSeeTheirOwnPendingChanges() throws {
        let fixture = try Fixture()
        try StoreConformance.readYourWrites(fixture.store, fixture.a)
    }

    @Test func aStepThatThrowsUndoesOnlyItsOwnChanges() throws {
        let fixture = try Fixture()
        try StoreConformance.stepAtomicity(fixture.store, fixture.a)
    }

    @Test(arguments: StoreConformance.Interference.allCases)
    func aChangeSetWhoseReadsMovedCommitsNothing(_ interference: StoreConformance.Interference) throws {
        let fixture = try Fixture()
        try StoreConformance.conflict(fixture.store, fixture.a, fixture.b, interference)
    }

    @Test func aChangeSetWhoseReadsHeldCommitsAtomically() async throws {
        let fixture = try Fixture()
        try await StoreConformance.atomicCommit(fixture.store, fixture.a)
    }

    @Test func scansVisitKeysInOrderWithPendingChangesMergedIn() throws {
        let fixture = try Fixture()
        try StoreConformance.orderedScans(fixture.store, fixture.a)
    }

    @Test func batchedGetsAnswerInTheOrderAsked() throws {
        let fixture = try Fixture()
        try StoreConformance.batchedGets(fixture.store, fixture.a)
    }

    @Test func prefetchedKeysReadAsTheyWouldUnfetched() throws {
        let fixture = try Fixture()
        try StoreConformance.prefetchedReads(fixture.store, fixture.a, fixture.b)
    }
}
