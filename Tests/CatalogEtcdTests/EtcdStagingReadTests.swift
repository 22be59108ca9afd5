import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Synchronization
import Testing

/// How a write's staging reads go to etcd: serializable on a first run (spread over the members), a body that
/// failed there run again over the leader's state, several keys fetched in one request, answers read whole
/// over kept-alive connections.
@Suite(.sharedEtcdCluster) struct EtcdStagingReadTests {
    func store(prefix: String) throws -> EtcdStore {
        try EtcdStore.open(endpoints: SharedEtcdCluster.cluster.endpoints, prefix: prefix, options: testOptions())
    }

    @Test func aBodyThatFailsOnItsFirstRunIsRunAgainAndOnlyTheSecondVerdictCounts() throws {
        let store = try store(prefix: freshPrefix("rerun"))
        let a = try store.keyspace("a")
        let runs = Runs()
        // The first run may have read a member's stale state, so its failure is not the answer.
        try store.writeBlocking { tx in
            try runs.failFirst()
            try tx.put([1], for: key("k"), in: a)
        }
        #expect(runs.count == 2)
        #expect(try store.read { try $0.get(key("k"), in: a) } == [1])

        // A body that fails on the leader's state too: its error reaches the caller after exactly two runs, and
        // nothing is written.
        let failing = Runs()
        #expect {
            try store.writeBlocking { tx in
                _ = failing.next()
                try tx.put([2], for: key("k"), in: a)
                throw StorageError(code: .invalidArgument, operation: "test", message: "always")
            }
        } throws: { error in
            (error as? StorageError)?.message == "always"
        }
        #expect(failing.count == 2)
        #expect(try store.read { try $0.get(key("k"), in: a) } == [1])
    }

    @Test func anAsyncWriteRunsAFailedFirstBodyAgainLikeABlockingOne() async throws {
        let store = try store(prefix: freshPrefix("rerun-async"))
        let a = try store.keyspace("a")
        let runs = Runs()
        try await store.write { tx in
            try runs.failFirst()
            try tx.put([1], for: key("k"), in: a)
        }
        #expect(runs.count == 2)
        #expect(try store.read { try $0.get(key("k"), in: a) } == [1])
    }

    @Test func writesStagedOnEveryMemberStillConflictExactly() async throws {
        // Staging reads start at member 0, 1, 2, 0, … in turn; each increment reads the counter there and
        // compares its revision at commit, so none is lost and none applies twice. One writer may lose every
        // round to the eleven others: attempts are not what this proves, so they are not limited to 10.
        var options = testOptions()
        options.maxWriteAttempts = 200
        let store = try EtcdStore.open(
            endpoints: SharedEtcdCluster.cluster.endpoints, prefix: freshPrefix("spread"), options: options)
        let a = try store.keyspace("a")
        try store.writeBlocking { tx in try tx.put(bytes(0), for: key("counter"), in: a) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await store.write { tx in
                        let value = try tx.get(key("counter"), in: a).map(counter) ?? 0
                        try tx.put(bytes(value + 1), for: key("counter"), in: a)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.read { try $0.get(key("counter"), in: a) }.map(counter) == 12)
    }

    @Test func answersLongerThanOneChunkAreReadWholeOverKeptConnections() throws {
        // etcd sends an answer of more than a few kilobytes in chunks; 40 values of 3,000 bytes make one page of
        // about 160 kB. Reading it many times goes over the same kept-alive connections.
        let store = try store(prefix: freshPrefix("chunks"))
        let a = try store.keyspace("a")
        let values = (0..<40).map { index in [UInt8](repeating: UInt8(index), count: 3_000) }
        try store.writeBlocking { tx in
            for (index, value) in values.enumerated() { try tx.put(value, for: key("v\(1_000 + index)"), in: a) }
        }
        for _ in 0..<20 {
            let read = try store.read { snapshot in try snapshot.entries(in: a).map(\.value) }
            #expect(read == values)
        }
    }
}

private func counter(_ bytes: [UInt8]) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }

/// Counts the runs of a write body.
private final class Runs: Sendable {
    private let runs = Mutex(0)

    var count: Int { runs.withLock { $0 } }

    /// This run's number, from 1.
    func next() -> Int {
        runs.withLock { runs in
            runs += 1
            return runs
        }
    }

    /// Counts a run and fails the first one, as a body that read a stale state and concluded wrongly would.
    func failFirst() throws {
        if next() == 1 { throw StorageError(code: .invalidArgument, operation: "test", message: "first run") }
    }
}
