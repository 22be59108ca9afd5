import CatalogStorage
import CatalogTestSupport
import Synchronization
import Testing

@Suite struct GroupCommitTests {
    struct Refused: Error, Equatable { let index: Int }

    @Test func concurrentAsyncWritesShareCommitsAndFailAlone() async throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        let commitsBefore = environment.committedTransactions
        let failures = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<500 {
                        let name = "g/\(task)/\(index)"
                        let refuse = index % 50 == 7
                        do {
                            let result = try await environment.write { tx in
                                try tx.put(bytes(UInt64(index)), for: key(name), in: data)
                                if refuse { throw Refused(index: index) }
                                return "\(task):\(index)"
                            }
                            #expect(!refuse)
                            #expect(result == "\(task):\(index)")
                            // Resumed only after the commit: a fresh snapshot already sees the write.
                            let seen = try environment.read { tx in number(try tx.get(key(name), in: data)) }
                            #expect(seen == UInt64(index))
                        } catch let error as Refused {
                            #expect(refuse && error.index == index)
                            failures.increment()
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let commits = environment.committedTransactions - commitsBefore
        let stored = try environment.read { tx in try tx.count(of: data) }
        #expect(failures.value == 8 * 10)
        #expect(stored == 8 * 500 - 8 * 10)
        for task in 0..<8 {
            for index in stride(from: 7, to: 500, by: 50) {
                #expect(try environment.read { tx in try tx.get(key("g/\(task)/\(index)"), in: data) } == nil)
            }
        }
        #expect(commits < 4000 / 2, "\(commits) commits for 4000 writes")
        print("group commit: 4000 async writes in \(commits) LMDB commits")
    }
}

/// A thread-safe counter for tasks to report into.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
