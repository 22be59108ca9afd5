import CatalogEtcd
import CatalogSealing
import CatalogStorage
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The change feed of a catalog on etcd: a watch of the `changes` keyspace, followed through another member than
/// the one written to.
@Suite(.sharedEtcdCluster)
struct EtcdChangeFeedTests {
    @Test func everyKindOfChangeIsToldOnceInRevisionOrderThroughAnotherMember() async throws {
        let test = EtcdTestCatalog("feed")
        let writer = try test.open(member: 0)
        let follower = try test.open(member: 1)
        let start = try follower.latestChangeRevision()
        let feed = Task { try await collect(follower.changes(after: start), count: 7) }
        let created = try writer.writeBlocking { w in try w.create(awsFunction("fc")).connection }
        try writer.writeBlocking { w in try w.alter(name("fc"), .set([("REGION", "eu-west-1")])) }
        try writer.writeBlocking { w in try w.rename(name("fc"), to: name("fc_main")) }
        try writer.writeBlocking { w in try w.rotateExternalID(of: name("fc_main")) }
        try writer.writeBlocking { w in try w.alter(name("fc_main"), .disable) }
        try writer.writeBlocking { w in try w.alter(name("fc_main"), .enable) }
        try writer.writeBlocking { w in try w.drop(name("fc_main")) }
        let changes = try await feed.value.compactMap(\.change)
        try #require(changes.count == 7)
        #expect(changes.map(\.kind) == [.create, .alter, .rename, .rotate, .disable, .enable, .drop])
        #expect(changes.map(\.name.rawValue) == ["fc", "fc", "fc_main", "fc_main", "fc_main", "fc_main", "fc_main"])
        #expect(changes.map(\.previousName) == [nil, nil, name("fc"), nil, nil, nil, nil])
        #expect(changes.allSatisfy { $0.connectionID == created.id })
        #expect(zip(changes, changes.dropFirst()).allSatisfy { $0.revision < $1.revision })
        #expect(changes.first!.revision > start)

        // Resuming after the third change's revision tells the last four, and nothing twice.
        let resumed = try await collect(follower.changes(after: changes[2].revision), count: 4).compactMap(\.change)
        #expect(resumed == Array(changes[3...]))
        #expect(try follower.latestChangeRevision() >= changes.last!.revision)
    }

    @Test func theChangesOfOneTransactionShareItsRevision() async throws {
        let test = EtcdTestCatalog("feed-tx")
        let catalog = try test.open()
        let start = try catalog.latestChangeRevision()
        let transaction = catalog.beginTransaction()
        try transaction.step { w in try w.create(awsFunction("one")) }
        try transaction.step { w in try w.create(awsFunction("two")) }
        try transaction.commitBlocking()
        try catalog.writeBlocking { w in try w.drop(name("one")) }
        let changes = try await collect(catalog.changes(after: start), count: 3).compactMap(\.change)
        try #require(changes.count == 3)
        #expect(changes.map(\.kind) == [.create, .create, .drop])
        #expect(Set(changes.prefix(2).map(\.name.rawValue)) == ["one", "two"])
        #expect(changes[0].revision == changes[1].revision && changes[1].revision < changes[2].revision)
        let after = try await collect(catalog.changes(after: changes[0].revision), count: 1).compactMap(\.change)
        #expect(after.map(\.kind) == [.drop])
    }

    @Test func trimmingTheLogDeletesOldEntriesAndAReadFromBeforeSaysSo() async throws {
        let test = EtcdTestCatalog("feed-trim")
        let catalog = try test.open()
        let start = try catalog.latestChangeRevision()
        for index in 0..<3 { try catalog.writeBlocking { w in try w.create(awsFunction("fn_\(index)")) } }
        let all = try await collect(
            catalog.changes(after: start, through: try catalog.latestChangeRevision()), count: 3
        ).compactMap(\.change)
        try #require(all.count == 3)
        #expect(try catalog.trimChangeLog(through: all[1].revision) == 2)
        #expect(try catalog.trimChangeLog(through: all[1].revision) == 0, "running it again finds nothing to do")
        // A bounded read from before the trim, up to now, is told entries are gone, then gets the rest.
        let latest = try catalog.latestChangeRevision()
        let fromStart = try await collect(catalog.changes(after: start, through: latest), count: 2)
        #expect(fromStart.first == .reset(revision: all[1].revision))
        #expect(fromStart.dropFirst().compactMap(\.change) == [all[2]])
        // One that had read past the trimmed entries hears no reset.
        let fromSecond = try await collect(catalog.changes(after: all[1].revision, through: latest), count: 1)
        #expect(fromSecond.compactMap(\.change) == [all[2]])
    }
}

/// The feed across a compaction and a member's death: each test starts its own cluster (a compaction of the
/// shared one would fail other suites' snapshots).
@Suite struct EtcdChangeFeedClusterTests {
    @Test func whenTheWatchedMemberIsKilledTheFeedGoesOnThroughAnotherWithoutLossOrRepeat() async throws {
        let cluster = try EtcdCluster(members: 3)
        defer { cluster.stop() }
        let directory = TemporaryDirectory("etcd-feed")
        let keyFile = directory.appending("master.key")
        let writer = try openCatalog(on: [cluster.endpoints[2]], keyFile: keyFile)
        let follower = try openCatalog(on: cluster.endpoints, keyFile: keyFile)
        let start = try follower.latestChangeRevision()
        var iterator = follower.changes(after: start).makeAsyncIterator()
        for index in 0..<5 { try writer.writeBlocking { w in try w.create(awsFunction("before_\(index)")) } }
        var told: [CatalogChange] = []
        for _ in 0..<5 { if let change = try await iterator.next()?.change { told.append(change) } }
        // The follower's watch is on member 1 (its first endpoint); kill it, then change more through member 3.
        cluster.kill(0)
        for index in 0..<5 { try writer.writeBlocking { w in try w.create(awsFunction("after_\(index)")) } }
        for _ in 0..<5 { if let change = try await iterator.next()?.change { told.append(change) } }
        #expect(!cluster.isRunning(0))
        #expect(told.map(\.name.rawValue) == (0..<5).map { "before_\($0)" } + (0..<5).map { "after_\($0)" })
        #expect(zip(told, told.dropFirst()).allSatisfy { $0.revision < $1.revision })
    }

    @Test func revisionsCompactedAwayAreReportedAsAReset() async throws {
        let cluster = try EtcdCluster(members: 3)
        defer { cluster.stop() }
        let directory = TemporaryDirectory("etcd-feed")
        let catalog = try openCatalog(on: cluster.endpoints, keyFile: directory.appending("master.key"))
        let start = try catalog.latestChangeRevision()
        try catalog.writeBlocking { w in try w.create(awsFunction("early")) }
        try catalog.writeBlocking { w in try w.create(awsFunction("late")) }
        let compactedTo = try catalog.latestChangeRevision()
        try compact(cluster.endpoints[0], to: compactedTo)
        try catalog.writeBlocking { w in try w.drop(name("early")) }
        // `late` sits at the compaction revision itself, which etcd keeps.
        let events = try await collect(catalog.changes(after: start), count: 3) { $0.change?.kind == .drop }
        #expect(events.first == .reset(revision: compactedTo - 1))
        #expect(events.last?.change?.kind == .drop)
        #expect(!events.contains { $0.change?.name == name("early") && $0.change?.kind == .create })
    }
}

/// The catalog `feed` on a cluster of the test's own.
func openCatalog(on endpoints: [String], keyFile: String) throws -> Catalog {
    var options = EtcdStore.Options(keyspaces: Catalog.storeKeyspaces)
    options.giveUpAfter = .seconds(20)
    let store = try EtcdStore.open(endpoints: endpoints, prefix: "feed", options: options)
    return try Catalog.open(store: store, description: "etcd://test/feed", keySource: .keyFile(path: keyFile))
}

/// Compacts the cluster's history up to `revision` (what an operator or etcd's auto-compaction does).
func compact(_ endpoint: String, to revision: UInt64) throws {
    var request = URLRequest(url: URL(string: "\(endpoint)/v3/kv/compaction")!)
    request.httpMethod = "POST"
    request.httpBody = Data("{\"revision\": \"\(revision)\", \"physical\": true}".utf8)
    let done = DispatchSemaphore(value: 0)
    let status = Counter()
    URLSession.shared.dataTask(with: request) { _, response, _ in
        if (response as? HTTPURLResponse)?.statusCode == 200 { status.increment() }
        done.signal()
    }.resume()
    done.wait()
    guard status.count == 1 else { throw CompactionFailed() }
}

struct CompactionFailed: Error {}

extension CatalogFeedEvent {
    var change: CatalogChange? {
        if case .change(let change) = self { return change }
        return nil
    }
}

/// The first `count` events of `feed` (fewer if one passes `isLast`); a feed that stalls fails the test after a generous safety limit instead of
/// hanging it (the limit bounds a hang; it asserts nothing about speed).
func collect(
    _ feed: CatalogChangeFeed, count: Int, until isLast: @escaping @Sendable (CatalogFeedEvent) -> Bool = { _ in false }
) async throws -> [CatalogFeedEvent] {
    try await withThrowingTaskGroup(of: [CatalogFeedEvent]?.self) { group in
        group.addTask {
            var events: [CatalogFeedEvent] = []
            for try await event in feed {
                events.append(event)
                if events.count == count || isLast(event) { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: .seconds(60))
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let events = first else { throw FeedTimedOut() }
        return events
    }
}

struct FeedTimedOut: Error {}
