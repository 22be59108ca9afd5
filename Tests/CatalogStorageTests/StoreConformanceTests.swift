import CatalogStorage
import CatalogTestSupport
import Testing

/// The storage contract (`TransactionalStore`) on LMDB: every check of `StoreConformance` (CatalogTestSupport),
/// which CatalogEtcdTests runs on a 3-member etcd cluster too.
@Suite struct StoreConformanceTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case lmdb
        var testDescription: String { rawValue }
    }

    /// A store of `backend` with keyspaces `a` and `b`, in a fresh temporary directory.
    struct Fixture {
        let directory = TemporaryDirectory("store-conformance")
        let store: any TransactionalStore
        let a: Keyspace
        let b: Keyspace

        init(_ backend: Backend) throws {
            switch backend {
            case .lmdb:
                store = try Environment.open(
                    at: directory.appending("env"), options: .init(databases: ["a", "b"], mapSize: 1 << 26))
            }
            a = try store.keyspace("a")
            b = try store.keyspace("b")
        }
    }

    @Test(arguments: Backend.allCases)
    func aSnapshotDoesNotSeeWritesCommittedAfterItBegan(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        try StoreConformance.snapshotIsolation(fixture.store, fixture.a)
    }

    @Test(arguments: Backend.allCases)
    func aWriteAndAStagedWriteSeeTheirOwnPendingChanges(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        try StoreConformance.readYourWrites(fixture.store, fixture.a)
    }

    @Test(arguments: Backend.allCases)
    func aStepThatThrowsUndoesOnlyItsOwnChanges(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        try StoreConformance.stepAtomicity(fixture.store, fixture.a)
    }

    @Test(arguments: Backend.allCases, StoreConformance.Interference.allCases)
    func aChangeSetWhoseReadsMovedCommitsNothing(
        _ backend: Backend, _ interference: StoreConformance.Interference
    )
        throws
    {
        let fixture = try Fixture(backend)
        try StoreConformance.conflict(fixture.store, fixture.a, fixture.b, interference)
    }

    @Test(arguments: Backend.allCases)
    func aChangeSetWhoseReadsHeldCommitsAtomically(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        try await StoreConformance.atomicCommit(fixture.store, fixture.a)
    }

    @Test(arguments: Backend.allCases)
    func scansVisitKeysInOrderWithPendingChangesMergedIn(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        try StoreConformance.orderedScans(fixture.store, fixture.a)
    }

    @Test(arguments: Backend.allCases)
    func batchedGetsAnswerInTheOrderAsked(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        try StoreConformance.batchedGets(fixture.store, fixture.a)
    }

    @Test(arguments: Backend.allCases)
    func prefetchedKeysReadAsTheyWouldUnfetched(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        try StoreConformance.prefetchedReads(fixture.store, fixture.a, fixture.b)
    }
}
