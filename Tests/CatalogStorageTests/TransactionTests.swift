import CatalogStorage
import CatalogTestSupport
import Testing

@Suite struct TransactionTests {
    @Test func writeCommitsOnReturnAndReadSeesIt() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        try environment.writeBlocking { tx in try tx.put([1, 2, 3], for: key("a"), in: data) }
        let value = try environment.read { tx in try tx.get(key("a"), in: data) }
        #expect(value == [1, 2, 3])
    }

    @Test func writeAbortsWhenTheBodyThrows() throws {
        struct Boom: Error {}
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        #expect(throws: Boom.self) {
            try environment.writeBlocking { tx in
                try tx.put([1], for: key("a"), in: data)
                throw Boom()
            }
        }
        #expect(try environment.read { tx in try tx.get(key("a"), in: data) } == nil)
        #expect(try environment.read { tx in try tx.count(of: data) } == 0)
    }

    @Test func insertRefusesATakenKeyAndDeleteReportsPresence() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        let outcomes = try environment.writeBlocking { tx in
            (
                try tx.insert([1], for: key("k"), in: data), try tx.insert([2], for: key("k"), in: data),
                try tx.get(key("k"), in: data), try tx.delete(key("k"), in: data), try tx.delete(key("k"), in: data)
            )
        }
        #expect(outcomes.0 && !outcomes.1 && outcomes.2 == [1] && outcomes.3 && !outcomes.4)
    }

    @Test func scansVisitRangesAndPrefixesInKeyOrder() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        let names = ["b/2", "a/1", "b/10", "c", "b/1", "ba", "b"]
        try environment.writeBlocking { tx in
            for name in names { try tx.put(Array(name.utf8), for: key(name), in: data) }
        }
        func keys(_ range: KeyRange, limit: Int = .max) throws -> [String] {
            try environment.read { tx in
                try tx.entries(in: data, range: range, limit: limit).map { String(decoding: $0.key, as: UTF8.self) }
            }
        }
        #expect(try keys(.all) == ["a/1", "b", "b/1", "b/10", "b/2", "ba", "c"])
        #expect(try keys(.prefix(Array("b/".utf8))) == ["b/1", "b/10", "b/2"])
        #expect(try keys(KeyRange(from: Array("b".utf8), to: Array("ba".utf8))) == ["b", "b/1", "b/10", "b/2"])
        #expect(try keys(KeyRange(from: Array("b/15".utf8))) == ["b/2", "ba", "c"])
        #expect(try keys(.prefix(Array("z".utf8))) == [])
        #expect(try keys(.all, limit: 2) == ["a/1", "b"])
    }

    @Test func openingTheSamePathTwiceReturnsTheSameEnvironment() throws {
        let directory = TemporaryDirectory()
        let (first, _) = try makeEnvironment(in: directory)
        let second = try Environment.open(
            at: directory.appending("env/../env"), options: .init(databases: ["data"]))
        #expect(first === second)
    }

    @Test func filesAreCreatedOwnerOnly() throws {
        let directory = TemporaryDirectory()
        let (environment, _) = try makeEnvironment(in: directory)
        for file in ["data.mdb", "lock.mdb"] {
            #expect(try fileMode("\(environment.path)/\(file)") == 0o600, "\(file)")
        }
        #expect(try fileMode(environment.path) == 0o700)
    }

    @Test func reentrantWriteTraps() async {
        await #expect(processExitsWith: .failure) {
            let directory = TemporaryDirectory()
            let (environment, _) = try makeEnvironment(in: directory)
            try environment.writeBlocking { _ in try environment.writeBlocking { _ in } }
        }
    }

    @Test func statsCountEntriesAndReaders() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        try environment.writeBlocking { tx in
            for index in 0..<25 { try tx.put([UInt8(index)], for: key("k\(index)"), in: data) }
        }
        let stats = try environment.stats()
        #expect(stats.entries.first?.database == "data")
        #expect(stats.entries.first?.count == 25)
        #expect(stats.maxReaders == 512)
        #expect(stats.usedBytes > 0 && stats.usedBytes <= stats.mapSize)
        let inside = try environment.read { _ in try environment.stats().readersInUse }
        #expect(inside == 1)  // the outer read; stats() lists the slots after its own snapshot ended
        #expect(try environment.stats().readersInUse == 0)
    }
}

@Suite struct TransactionScopeTests {
    @Test func transactionUsedAfterItsClosureTraps() async {
        await #expect(processExitsWith: .failure) {
            let directory = TemporaryDirectory()
            let (environment, data) = try makeEnvironment(in: directory)
            let escaped = try environment.read { tx in tx }
            _ = try escaped.get(key("a"), in: data)
        }
    }

    @Test func transactionKeptFromAnEarlierReadTrapsWhileItsSlotIsReused() async {
        await #expect(processExitsWith: .failure) {
            let directory = TemporaryDirectory()
            let (environment, data) = try makeEnvironment(in: directory)
            let escaped = try environment.read { tx in tx }
            // The next read reuses the same pooled LMDB transaction; the old copy must stay dead.
            try environment.read { _ in _ = try escaped.get(key("a"), in: data) }
        }
    }

    @Test func databaseCreatedInAWriteExistsOnlyIfItCommits() throws {
        struct Abandon: Error {}
        let directory = TemporaryDirectory()
        var options = Environment.Options(databases: ["data", "extra"])
        options.createsDatabases = false
        let environment = try Environment.open(at: directory.appending("env"), options: options)
        #expect(throws: StorageError.self) { try environment.database("data") }
        #expect(throws: Abandon.self) {
            try environment.writeBlocking { tx in
                _ = try tx.createDatabase("data")
                throw Abandon()
            }
        }
        #expect(throws: StorageError.self) { try environment.database("data") }
        try environment.writeBlocking { tx in
            let data = try tx.createDatabase("data")
            try tx.put([9], for: key("k"), in: data)
        }
        let data = try environment.database("data")
        #expect(try environment.read { tx in try tx.get(key("k"), in: data) } == [9])
        #expect(try environment.stats().entries.map(\.database) == ["data"])
    }
}
