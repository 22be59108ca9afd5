import CatalogStorage
import CatalogTestSupport
import Testing

@Suite struct SnapshotTests {
    /// Ten accounts always sum to 10,000; the writer moves amounts between them, several per transaction.
    @Test func readersNeverSeeHalfATransaction() async throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        try await environment.write { tx in
            for account in 0..<10 { try tx.put(bytes(1000), for: key("acct/\(account)"), in: data) }
        }
        let stop = StopFlag()
        let snapshotsChecked = Counter()
        // A fixed number of transfers, not a fixed time: the readers check snapshots until the writer is done.
        let transfers = 3_000
        let writer = Thread_(name: "writer") {
            defer { stop.raise() }
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<transfers {
                try environment.writeBlocking { tx in
                    for _ in 0..<3 {
                        let from = Int.random(in: 0..<10, using: &generator)
                        let to = (from + Int.random(in: 1..<10, using: &generator)) % 10
                        let fromBalance = number(try tx.get(key("acct/\(from)"), in: data))!
                        let amount = UInt64.random(in: 0...fromBalance, using: &generator)
                        let toBalance = number(try tx.get(key("acct/\(to)"), in: data))!
                        try tx.put(bytes(fromBalance - amount), for: key("acct/\(from)"), in: data)
                        try tx.put(bytes(toBalance + amount), for: key("acct/\(to)"), in: data)
                    }
                }
            }
        }
        let readers = (0..<8).map { index in
            Thread_(name: "reader \(index)") {
                repeat {
                    let total = try environment.read { tx in
                        var total: UInt64 = 0
                        try tx.scan(data, in: .prefix(Array("acct/".utf8))) { _, value in
                            total += number(Array(value))!
                            return true
                        }
                        return total
                    }
                    #expect(total == 10_000)
                    snapshotsChecked.increment()
                } while !stop.isRaised
            }
        }
        try writer.join()
        for thread in readers { try thread.join() }
        #expect(snapshotsChecked.value >= readers.count, "every reader checked at least one snapshot")
        let final = try environment.read { tx in try tx.entries(in: data, range: .prefix(Array("acct/".utf8))) }
        #expect(final.reduce(0) { $0 + number($1.value)! } == 10_000)
    }
}
