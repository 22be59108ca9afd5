import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Testing

/// What the etcd backend adds to the contract: revisions across members, Txn limits, lost answers.
@Suite(.sharedEtcdCluster) struct EtcdStoreTests {
    /// A store that talks to member `index` only (or to `endpoints`).
    func store(on index: Int, prefix: String, options: EtcdStore.Options = testOptions()) throws -> EtcdStore {
        try EtcdStore.open(endpoints: [SharedEtcdCluster.cluster.endpoints[index]], prefix: prefix, options: options)
    }

    @Test func aSnapshotKeepsItsRevisionWhileAnotherClientWrites() throws {
        let prefix = freshPrefix("snapshot")
        let reader = try store(on: 0, prefix: prefix)
        let writer = try store(on: 1, prefix: prefix)
        let a = try reader.keyspace("a")
        try reader.writeBlocking { w in try w.put([1], for: key("k"), in: a) }
        try reader.read { snapshot throws in
            #expect(try snapshot.get(key("k"), in: a) == [1])
            // Another client, through another member, commits after the snapshot's first read.
            try writer.writeBlocking { w in
                try w.put([2], for: key("k"), in: a)
                try w.put([9], for: key("new"), in: a)
            }
            #expect(try writer.read { try $0.get(key("k"), in: a) } == [2])
            #expect(try snapshot.get(key("k"), in: a) == [1])
            #expect(try snapshot.get(key("new"), in: a) == nil)
            #expect(try snapshot.count(of: a) == 1)
            #expect(try snapshot.entries(in: a).map(\.key) == [Array("k".utf8)])
        }
        // A new snapshot, through the first member, sees the write.
        #expect(try reader.read { try $0.values(for: [key("k"), key("new")], in: a) } == [[2], [9]])
    }

    @Test func aChangeSetReadThroughOneMemberAndCommittedThroughAnotherConflictsWhenAThirdChangedAKeyItRead() throws {
        let prefix = freshPrefix("members")
        let (one, two, three) = (
            try store(on: 0, prefix: prefix), try store(on: 1, prefix: prefix), try store(on: 2, prefix: prefix)
        )
        let a = try one.keyspace("a")
        try one.writeBlocking { w in
            try w.put([1], for: key("read"), in: a)
            try w.put([1], for: key("other"), in: a)
        }
        let held = ChangeSetBuilder()
        let moved = ChangeSetBuilder()
        for builder in [held, moved] {
            try one.stage(builder) { staged in
                #expect(try staged.get(key(builder === held ? "other" : "read"), in: a) == [1])
                try staged.put([42], for: key(builder === held ? "held" : "moved"), in: a)
            }
        }
        try three.writeBlocking { w in try w.put([2], for: key("read"), in: a) }

        let error = try #require(throws: StorageError.self) { try two.commitBlocking(moved.changeSet()) }
        #expect(error.code == .conflict)
        #expect(error.keyspace == "a")
        #expect(error.key == Array("read".utf8))
        // The change set whose read held commits through member 2 all the same.
        try two.commitBlocking(held.changeSet())
        #expect(try three.read { try $0.values(for: [key("moved"), key("held")], in: a) } == [nil, [42]])
    }

    @Test func aChangeSetOverTheStoresTxnLimitFailsBeforeSendingAndWritesNothing() throws {
        let prefix = freshPrefix("limit")
        let store = try store(on: 0, prefix: prefix, options: testOptions(maxTxnOperations: 128))
        let a = try store.keyspace("a")
        let error = try #require(throws: StorageError.self) {
            try store.writeBlocking { w in
                for index in 0..<200 { try w.put([1], for: key("k\(index)"), in: a) }
            }
        }
        #expect(error.code == .changeSetTooLarge)
        #expect(error.kind == .full)
        #expect(error.message.contains("128"))
        #expect(try store.read { try $0.count(of: a) } == 0)
        // 127 writes and the token fit.
        try store.writeBlocking { w in
            for index in 0..<127 { try w.put([1], for: key("k\(index)"), in: a) }
        }
        #expect(try store.read { try $0.count(of: a) } == 127)
    }

    @Test func aChangeSetOverTheClustersTxnLimitIsRefusedByEtcdAndWritesNothing() throws {
        let prefix = freshPrefix("cluster-limit")
        // The store believes the cluster takes more than it does; etcd's own refusal must come back clearly.
        let store = try store(on: 0, prefix: prefix, options: testOptions(maxTxnOperations: 10_000))
        let a = try store.keyspace("a")
        let error = try #require(throws: StorageError.self) {
            try store.writeBlocking { w in
                for index in 0..<(SharedEtcdCluster.maxTxnOperations + 10) {
                    try w.put([1], for: key("k\(index)"), in: a)
                }
            }
        }
        #expect(error.code == .changeSetTooLarge)
        #expect(error.message.contains("too many operations"))
        #expect(try store.read { try $0.count(of: a) } == 0)
    }

    @Test func aCommitWhoseAnswerIsLostIsAppliedOnceAndItsBodyRunsOnce() throws {
        let dropped = Counter()
        var options = testOptions()
        // The first Txn's answer is dropped after etcd applied it, as if the connection broke then.
        options.dropsAnswer = { path, _ in
            path.hasSuffix("kv/txn") && dropped.claimFirst()
        }
        let store = try EtcdStore.open(
            endpoints: SharedEtcdCluster.cluster.endpoints, prefix: freshPrefix("lost"), options: options)
        let a = try store.keyspace("a")
        let runs = Counter()
        try store.writeBlocking { w in
            runs.increment()
            let counter = number(try w.get(key("counter"), in: a)) ?? 0
            try w.put(bytes(counter + 1), for: key("counter"), in: a)
        }
        #expect(dropped.count == 1)
        // Resent to the next member, the same Txn found its token: not a conflict, not a second run.
        #expect(runs.count == 1)
        #expect(number(try store.read { try $0.get(key("counter"), in: a) }) == 1)
    }

    @Test func keyspacesAndPrefixesKeepTheirEntriesApart() throws {
        let first = try store(on: 0, prefix: freshPrefix("apart"))
        let second = try store(on: 0, prefix: freshPrefix("apart"))
        let (a, b) = (try first.keyspace("a"), try first.keyspace("b"))
        try first.writeBlocking { w in
            try w.put([1], for: key("x"), in: a)
            try w.put([2], for: key("x"), in: b)
            try w.put([3], for: RecordKey([0xFF, 0xFF]), in: a)
        }
        #expect(try first.read { try $0.entries(in: a).map(\.value) } == [[1], [3]])
        #expect(try first.read { try $0.entries(in: b).map(\.value) } == [[2]])
        #expect(try second.read { try $0.count(of: a) } == 0)
        #expect(throws: StorageError.self) {
            try EtcdStore.open(endpoints: ["http://x"], prefix: "a/b", options: testOptions())
        }
    }
}
