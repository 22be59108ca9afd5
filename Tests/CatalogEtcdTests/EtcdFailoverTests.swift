import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Testing

/// Members killed (SIGKILL, by PID) under a running store: each test starts its own 3-member cluster.
@Suite struct EtcdFailoverTests {
    @Test
    func whenTheMemberInUseIsKilledWritesGoOnThroughTheNextAndNoAcknowledgedWriteIsLost() async throws {
        let cluster = try EtcdCluster(members: 3)
        defer { cluster.stop() }
        let store = try EtcdStore.open(
            endpoints: cluster.endpoints, prefix: "failover", options: testOptions(maxTxnOperations: 128))
        let a = try store.keyspace("a")
        #expect(store.currentEndpoint == cluster.endpoints[0])
        let writers = 4
        let writesEach = 40
        let killAt = 40
        let acknowledged = Counter()
        let acknowledgedAfterKill = Counter()
        let killed = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in 0..<writesEach {
                        // Each write bumps its writer's counter and adds a key: a write applied twice or lost shows.
                        try await store.write { w in
                            let counter = key("counter-\(writer)")
                            try w.put(bytes((number(try w.get(counter, in: a)) ?? 0) + 1), for: counter, in: a)
                            try w.put([UInt8(writer)], for: key("w-\(writer)-\(index)"), in: a)
                        }
                        if killed.count > 0 { acknowledgedAfterKill.increment() }
                        // The writer whose acknowledgement is the 40th kills member 1 while the others are mid-write.
                        if acknowledged.increment() == killAt {
                            cluster.kill(0)
                            killed.increment()
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(!cluster.isRunning(0))
        #expect(acknowledged.count == writers * writesEach)
        #expect(acknowledgedAfterKill.count > 0)
        #expect(store.currentEndpoint != cluster.endpoints[0])
        // Read back through member 3 alone: every acknowledged write is there, each exactly once.
        let survivor = try EtcdStore.open(endpoints: [cluster.endpoints[2]], prefix: "failover", options: testOptions())
        let entries = try survivor.read { snapshot in try snapshot.entries(in: a) }
        let stored = Dictionary(
            entries.map { (String(decoding: $0.key, as: UTF8.self), $0.value) }, uniquingKeysWith: { $1 })
        #expect(stored.count == writers * (writesEach + 1))
        for writer in 0..<writers {
            #expect(number(stored["counter-\(writer)"]) == UInt64(writesEach))
            for index in 0..<writesEach { #expect(stored["w-\(writer)-\(index)"] == [UInt8(writer)]) }
        }
    }

    @Test func aCommitWhoseMemberIsKilledBeforeItAnswersIsResolvedThroughTheNextMemberAndAppliedOnce() throws {
        let cluster = try EtcdCluster(members: 3)
        defer { cluster.stop() }
        let killedMember = Counter()
        var options = testOptions(maxTxnOperations: 128)
        // Once member 1 has applied the first Txn, it is SIGKILLed and its answer never reaches the store.
        options.dropsAnswer = { [cluster] path, endpoint in
            guard path.hasSuffix("kv/txn"), endpoint == cluster.endpoints[0],
                killedMember.claimFirst()
            else { return false }
            cluster.kill(0)
            return true
        }
        let store = try EtcdStore.open(endpoints: cluster.endpoints, prefix: "lost-kill", options: options)
        let a = try store.keyspace("a")
        let runs = Counter()
        try store.writeBlocking { w in
            runs.increment()
            let counter = number(try w.get(key("counter"), in: a)) ?? 0
            try w.put(bytes(counter + 1), for: key("counter"), in: a)
        }
        #expect(killedMember.count == 1)
        #expect(!cluster.isRunning(0))
        #expect(runs.count == 1)
        #expect(number(try store.read { try $0.get(key("counter"), in: a) }) == 1)
        // And the store goes on writing through the survivors.
        try store.writeBlocking { w in try w.put(bytes(7), for: key("after"), in: a) }
        #expect(number(try store.read { try $0.get(key("after"), in: a) }) == 7)
    }
}
