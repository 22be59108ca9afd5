import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

/// The change feed on LMDB: every change written to the change log in its own transaction, read back in order.
@Suite struct ChangeFeedTests {
    @Test func everyKindOfChangeIsToldOnceInOrder() async throws {
        let home = TestCatalog()
        let catalog = try home.open()
        #expect(try catalog.latestChangeRevision() == 0)
        let created = try catalog.writeBlocking { writer in try writer.create(awsFunction("fc")).connection }
        try catalog.writeBlocking { writer in
            try writer.alter(name("fc"), .comment("first"))
            try writer.rename(name("fc"), to: name("fc_main"))
        }
        try catalog.writeBlocking { writer in try writer.rotateExternalID(of: name("fc_main")) }
        try catalog.writeBlocking { writer in try writer.alter(name("fc_main"), .disable) }
        try catalog.writeBlocking { writer in try writer.alter(name("fc_main"), .enable) }
        try catalog.writeBlocking { writer in try writer.drop(name("fc_main")) }
        #expect(try catalog.latestChangeRevision() == 7)

        let events = try await collect(catalog.changes(after: 0), count: 7)
        let changes = events.compactMap(\.change)
        #expect(changes.map(\.revision) == Array(1...7))
        #expect(changes.map(\.kind) == [.create, .alter, .rename, .rotate, .disable, .enable, .drop])
        #expect(changes.map(\.name.rawValue) == ["fc", "fc", "fc_main", "fc_main", "fc_main", "fc_main", "fc_main"])
        #expect(changes.map(\.previousName) == [nil, nil, name("fc"), nil, nil, nil, nil])
        #expect(changes.map(\.version) == [1, 2, 3, 4, 5, 6, 6])
        #expect(changes.allSatisfy { $0.connectionID == created.id && $0.workspace == .default })

        // Resuming after a revision tells only what came later.
        let resumed = try await collect(catalog.changes(after: 5), count: 2).compactMap(\.change)
        #expect(resumed.map(\.kind) == [.enable, .drop])
    }

    @Test func aWriteThatFailsLogsNothing() throws {
        struct Abandoned: Error {}
        let home = TestCatalog()
        let catalog = try home.open()
        let abandoned = #expect(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in
                try writer.create(awsFunction("gone"))
                throw Abandoned()
            }
        }
        #expect(abandoned?.code == .aborted)
        #expect(abandoned?.underlying is Abandoned)
        #expect(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.drop(name("missing")) }
        }
        #expect(try catalog.latestChangeRevision() == 0)
    }

    @Test func aTransactionLogsItsChangesWhenItCommitsAndNotBefore() async throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try catalog.writeBlocking { writer in try writer.create(awsFunction("base")) }
        let transaction = catalog.beginTransaction()
        try transaction.step { writer in try writer.create(awsFunction("one")) }
        try transaction.step { writer in try writer.alter(name("base"), .comment("in a transaction")) }
        try transaction.step { writer in try writer.rename(name("one"), to: name("uno")) }
        #expect(try catalog.latestChangeRevision() == 1)
        try transaction.commitBlocking()
        #expect(try catalog.latestChangeRevision() == 4)
        let changes = try await collect(catalog.changes(after: 1), count: 3).compactMap(\.change)
        #expect(changes.map(\.revision) == [2, 3, 4])
        #expect(Set(changes.map(\.kind)) == [.create, .alter, .rename])
        // Within the transaction, the rename of `one` comes after its create.
        let kindsOfOne = changes.filter { $0.name == name("uno") || $0.name == name("one") }.map(\.kind)
        #expect(kindsOfOne == [.create, .rename])

        // A transaction that conflicts writes no entry.
        let loser = catalog.beginTransaction()
        try loser.step { writer in try writer.alter(name("base"), .comment("loser")) }
        try catalog.writeBlocking { writer in try writer.alter(name("base"), .comment("winner")) }
        let error = try #require(throws: CatalogError.self) { try loser.commitBlocking() }
        #expect(error.code == .conflict)
        #expect(try catalog.latestChangeRevision() == 5)
    }

    @Test func groupedAsyncWritesAreEachToldOnce() async throws {
        let home = TestCatalog()
        let catalog = try home.open()
        let count = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await catalog.write { writer in _ = try writer.create(awsFunction("fn_\(index)")) }
                }
            }
            try await group.waitForAll()
        }
        let changes = try await collect(catalog.changes(after: 0), count: count).compactMap(\.change)
        #expect(changes.map(\.revision) == Array(1...UInt64(count)))
        #expect(Set(changes.map(\.name.rawValue)) == Set((0..<count).map { "fn_\($0)" }))
    }

    @Test func aFollowerHearsChangesMadeAfterItStarted() async throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try catalog.writeBlocking { writer in try writer.create(awsFunction("before")) }
        let start = try catalog.latestChangeRevision()
        let follower = Task {
            try await collect(catalog.changes(after: start, pollInterval: .milliseconds(2)), count: 2)
        }
        try await catalog.write { writer in _ = try writer.create(awsFunction("after_one")) }
        try await catalog.write { writer in _ = try writer.drop(name("before")) }
        let changes = try await follower.value.compactMap(\.change)
        #expect(changes.map(\.name.rawValue) == ["after_one", "before"])
        #expect(changes.map(\.kind) == [.create, .drop])
    }

    @Test func entriesTrimmedAwayAreReportedAsAReset() async throws {
        var options = Catalog.Options(creator: "tester")
        options.changeLogRetention = 3
        let home = TestCatalog()
        let catalog = try home.open(options: options)
        for index in 0..<5 { try catalog.writeBlocking { writer in try writer.create(awsFunction("fn_\(index)")) } }
        // Entries 1 and 2 are gone: a follower from 0 hears a reset to 2, then 3, 4, 5.
        let events = try await collect(catalog.changes(after: 0), count: 4)
        #expect(events.first == .reset(revision: 2))
        #expect(events.dropFirst().compactMap(\.change).map(\.revision) == [3, 4, 5])
        // One that kept up hears no reset.
        let current = try await collect(catalog.changes(after: 3), count: 2)
        #expect(current.compactMap(\.change).map(\.revision) == [4, 5])
        // A follower ahead of the log (the catalog was restored from an older backup) is told to start over.
        let ahead = try await collect(catalog.changes(after: 40), count: 1)
        #expect(ahead == [.reset(revision: 5)])
    }

    @Test func manyChangesInOneWriteAreNumberedInOrderAndTrimmedAsTheyGo() async throws {
        // The writer keeps the log's counter between the changes of one write: each is numbered after the one
        // before, the trim follows each, and the next write goes on from where the counter was left.
        var options = Catalog.Options(creator: "tester")
        options.changeLogRetention = 4
        let home = TestCatalog()
        let catalog = try home.open(options: options)
        try catalog.writeBlocking { writer in
            for index in 0..<6 { try writer.create(awsFunction("fn_\(index)")) }
            try writer.alter(name("fn_0"), .comment("after"))
        }
        #expect(try catalog.latestChangeRevision() == 7)
        try catalog.writeBlocking { writer in try writer.drop(name("fn_1")) }
        #expect(try catalog.latestChangeRevision() == 8)
        let events = try await collect(catalog.changes(after: 0), count: 5)
        #expect(events.first == .reset(revision: 4))
        let changes = events.dropFirst().compactMap(\.change)
        #expect(changes.map(\.revision) == [5, 6, 7, 8])
        #expect(changes.map(\.kind) == [.create, .create, .alter, .drop])
        #expect(changes.map(\.name.rawValue) == ["fn_4", "fn_5", "fn_0", "fn_1"])
    }

    @Test func trimmingTheLogByHandIsAResetForAFollowerFromBefore() async throws {
        let home = TestCatalog()
        let catalog = try home.open()
        for index in 0..<4 { try catalog.writeBlocking { writer in try writer.create(awsFunction("fn_\(index)")) } }
        #expect(try catalog.trimChangeLog(through: 2) == 2)
        let events = try await collect(catalog.changes(after: 0, through: 4), count: 3)
        #expect(events.first == .reset(revision: 2))
        #expect(events.dropFirst().compactMap(\.change).map(\.revision) == [3, 4])
        #expect(
            try await collect(catalog.changes(after: 2, through: 4), count: 2).compactMap(\.change).map(\.revision) == [
                3, 4,
            ])
    }

    @Test func aSchemaTwoCatalogMigratesAndLogsFromThen() async throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("catalog")
        try copyFixture("schema-v2", to: path)
        let catalog = try Catalog.open(at: path, keySource: .keyFile(path: "\(path)/master.key"))
        #expect(catalog.schemaVersion == Catalog.currentSchemaVersion)
        #expect(try catalog.latestChangeRevision() == 0)
        try catalog.writeBlocking { writer in try writer.alter(name("oss_logs"), .comment("after migration")) }
        let changes = try await collect(catalog.changes(after: 0), count: 1).compactMap(\.change)
        #expect(changes.map(\.kind) == [.alter])
        #expect(changes.map(\.name.rawValue) == ["oss_logs"])
    }
}

extension CatalogFeedEvent {
    var change: CatalogChange? {
        if case .change(let change) = self { return change }
        return nil
    }
}

struct FeedTimedOut: Error, CustomStringConvertible {
    let received: Int
    var description: String { "the feed delivered \(received) events before the safety limit" }
}

/// The first `count` events of `feed`. A feed that stalls fails the test after a generous safety limit instead of
/// hanging it (the limit bounds a hang; it asserts nothing about speed).
func collect(_ feed: CatalogChangeFeed, count: Int) async throws -> [CatalogFeedEvent] {
    try await withThrowingTaskGroup(of: [CatalogFeedEvent]?.self) { group in
        group.addTask {
            var events: [CatalogFeedEvent] = []
            for try await event in feed {
                events.append(event)
                if events.count == count { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: .seconds(60))
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let events = first else { throw FeedTimedOut(received: 0) }
        return events
    }
}
