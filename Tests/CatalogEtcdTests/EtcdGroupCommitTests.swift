import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Testing

/// Group commit over etcd: concurrent async commits share `Txn`s, and each member's outcome is its own.
@Suite(.sharedEtcdCluster) struct EtcdGroupCommitTests {
    /// A store on every member whose async commits go through one lane, so that commits arriving while a `Txn`
    /// is in flight wait and are grouped.
    func groupingStore(_ label: String, configure: (inout EtcdStore.Options) -> Void = { _ in }) throws -> EtcdStore {
        var options = testOptions(maxTxnOperations: 128)
        options.commitLanes = 1
        configure(&options)
        return try EtcdStore.open(
            endpoints: SharedEtcdCluster.cluster.endpoints, prefix: freshPrefix(label), options: options)
    }

    /// One change set per `writes` entry, each staged over its own snapshot (nothing committed yet).
    func staged(
        _ store: EtcdStore, _ body: (Int, StagedWrite<EtcdSnapshot>) throws -> Void, count: Int
    ) throws -> [ChangeSet] {
        try (0..<count).map { index in
            let builder = ChangeSetBuilder()
            try store.stage(builder) { staged in try body(index, staged) }
            return builder.changeSet()
        }
    }

    /// Commits every change set at once; the outcome of each, in order.
    func commitConcurrently(_ store: EtcdStore, _ changeSets: [ChangeSet]) async -> [Result<Void, StorageError>] {
        await withTaskGroup(of: (Int, Result<Void, StorageError>).self) { group in
            for (index, changes) in changeSets.enumerated() {
                group.addTask {
                    do {
                        try await store.commit(changes)
                        return (index, .success(()))
                    } catch let error as StorageError {
                        return (index, .failure(error))
                    } catch {
                        return (
                            index, .failure(StorageError(code: .backendFailure, operation: "test", message: "\(error)"))
                        )
                    }
                }
            }
            var outcomes = [Result<Void, StorageError>?](repeating: nil, count: changeSets.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map {
                $0 ?? .failure(StorageError(code: .backendFailure, operation: "test", message: "no outcome"))
            }
        }
    }

    @Test func manyConcurrentCommitsAllApplyAndShareTransactions() async throws {
        let store = try groupingStore("group-many")
        let a = try store.keyspace("a")
        let writers = 64
        let changeSets = try staged(
            store,
            { index, staged throws in
                #expect(try staged.get(key("k\(index)"), in: a) == nil)
                try staged.put(bytes(UInt64(index)), for: key("k\(index)"), in: a)
            }, count: writers)
        let outcomes = await commitConcurrently(store, changeSets)
        for (index, outcome) in outcomes.enumerated() {
            if case .failure(let error) = outcome { Issue.record("commit \(index) failed: \(error)") }
        }
        // Every write is there; keys written by one Txn share its mod revision, so fewer revisions than writers
        // means commits were merged.
        let read = try store.read { snapshot in
            try (0..<writers).map { index in
                try key("k\(index)").bytes.withUnsafeBytes { try snapshot.versionedValue(forKeyBytes: $0, in: a) }
            }
        }
        let values = read.map { number($0.value) }
        let revisions = Set(read.map(\.version.description))
        #expect(values == (0..<writers).map { UInt64($0) })
        #expect(revisions.count < writers, "64 commits in \(revisions.count) Txns")
    }

    @Test func aConflictingMemberFailsAloneAndTheOthersOfItsGroupCommit() async throws {
        let store = try groupingStore("group-conflict")
        let a = try store.keyspace("a")
        let count = 40
        try store.writeBlocking { w in
            for index in 0..<count { try w.put([0], for: key("in\(index)"), in: a) }
        }
        let changeSets = try staged(
            store,
            { index, staged throws in
                #expect(try staged.get(key("in\(index)"), in: a) == [0])
                try staged.put([1], for: key("out\(index)"), in: a)
            }, count: count)
        // Another writer moves what every fourth change set read, after it was read.
        let moved = Set(stride(from: 0, to: count, by: 4))
        try store.writeBlocking { w in
            for index in moved { try w.put([9], for: key("in\(index)"), in: a) }
        }
        let outcomes = await commitConcurrently(store, changeSets)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success:
                #expect(!moved.contains(index), "commit \(index) read a moved key and still committed")
            case .failure(let error):
                #expect(moved.contains(index), "commit \(index) failed for another's conflict: \(error)")
                #expect(error.code == .conflict && error.key == Array("in\(index)".utf8) && error.keyspace == "a")
            }
        }
        let written = try store.read { snapshot in try (0..<count).map { try snapshot.get(key("out\($0)"), in: a) } }
        #expect(written == (0..<count).map { moved.contains($0) ? nil : [1] })
    }

    @Test func commitsOnOneKeyAreNeverMergedAndExactlyOneWins() async throws {
        let store = try groupingStore("group-same-key")
        let a = try store.keyspace("a")
        let count = 16
        let changeSets = try staged(
            store,
            { index, staged throws in
                #expect(try staged.insert([UInt8(index)], for: key("only"), in: a))
            }, count: count)
        let outcomes = await commitConcurrently(store, changeSets)
        let winners = outcomes.indices.filter { if case .success = outcomes[$0] { true } else { false } }
        #expect(winners.count == 1, "\(outcomes)")
        for outcome in outcomes {
            if case .failure(let error) = outcome {
                #expect(error.code == .conflict && error.key == Array("only".utf8))
            }
        }
        #expect(try store.read { try $0.get(key("only"), in: a) } == winners.first.map { [UInt8($0)] })
    }

    @Test func commitsThatReadWhatTheOtherWritesAreNeverMerged() async throws {
        // Pairs: one reads x and writes y, the other reads y and writes x. One after the other, the second always
        // conflicts; merged into one Txn both would commit (write skew), which the grouping must never do.
        let store = try groupingStore("group-skew")
        let a = try store.keyspace("a")
        let pairs = 20
        let changeSets = try staged(
            store,
            { index, staged throws in
                let (read, write) =
                    index % 2 == 0 ? ("x\(index / 2)", "y\(index / 2)") : ("y\(index / 2)", "x\(index / 2)")
                #expect(try staged.get(key(read), in: a) == nil)
                try staged.put([1], for: key(write), in: a)
            }, count: 2 * pairs)
        let outcomes = await commitConcurrently(store, changeSets)
        for pair in 0..<pairs {
            let committed = [outcomes[2 * pair], outcomes[2 * pair + 1]].filter {
                if case .success = $0 { true } else { false }
            }
            #expect(committed.count == 1, "pair \(pair): \(outcomes[2 * pair]), \(outcomes[2 * pair + 1])")
        }
    }

    @Test func aGroupWhoseAnswerIsLostIsResolvedByItsTokenAndAppliedOnce() async throws {
        let dropped = Counter()
        let store = try groupingStore("group-lost") { options in
            // The first Txn's answer is dropped after etcd applied it; the client resends it to the next member.
            options.dropsAnswer = { path, _ in path.hasSuffix("kv/txn") && dropped.claimFirst() }
        }
        let a = try store.keyspace("a")
        let writers = 32
        let runs = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<writers {
                group.addTask {
                    try await store.write { w in
                        runs.increment()
                        let counter = key("counter\(index)")
                        try w.put(bytes((number(try w.get(counter, in: a)) ?? 0) + 1), for: counter, in: a)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(dropped.count == 1)
        // Not applied twice, not reported as a conflict, no body run again.
        #expect(runs.count == writers)
        let counters = try store.read { snapshot in
            try (0..<writers).map { number(try snapshot.get(key("counter\($0)"), in: a)) }
        }
        #expect(counters == [UInt64?](repeating: 1, count: writers))
    }

    @Test func concurrentWritesToOneCounterAllApplyThroughRetries() async throws {
        let store = try groupingStore("group-counter") { options in
            options.commitLanes = 4
            options.maxWriteAttempts = 200
        }
        let a = try store.keyspace("a")
        let writers = 24
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    try await store.write { w in
                        try w.put(
                            bytes((number(try w.get(key("counter"), in: a)) ?? 0) + 1), for: key("counter"), in: a)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(number(try store.read { try $0.get(key("counter"), in: a) }) == UInt64(writers))
    }

    @Test func aChangeSetTooLargeForOneTxnFailsAloneBeforeAnythingIsSent() async throws {
        let store = try groupingStore("group-large")
        let a = try store.keyspace("a")
        let changeSets = try staged(
            store,
            { index, staged throws in
                for item in 0..<(index == 0 ? 200 : 1) { try staged.put([1], for: key("k\(index)-\(item)"), in: a) }
            }, count: 8)
        let outcomes = await commitConcurrently(store, changeSets)
        guard case .failure(let error) = outcomes[0] else {
            Issue.record("200 writes fit one Txn of 128")
            return
        }
        #expect(error.code == .changeSetTooLarge)
        for outcome in outcomes.dropFirst() {
            if case .failure(let error) = outcome { Issue.record("a small change set failed: \(error)") }
        }
        #expect(try store.read { try $0.count(of: a) } == 7)
    }
}
