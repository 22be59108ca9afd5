import CatalogStorage
import CatalogTestSupport
import Foundation
import Testing

/// Behaviour across processes: crashes, concurrent writers, stale readers.
@Suite struct ProcessTests {
    @Test func killedWriterLeavesWholeBatchesAndEveryAcknowledgedOne() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("env")
        var acknowledged: UInt64 = 0
        var kills = 0
        for round in 0..<32 {
            let writer = try HelperProcess("StorageTestHelper", ["batches", path])
            // Let it get going, then kill it at a random moment (some rounds kill it while it still opens).
            if round % 4 != 0 { _ = writer.waitForLine { $0.hasPrefix("ack ") } }
            usleep(UInt32.random(in: 0...120_000))
            writer.kill()
            kills += 1
            let acks = writer.outputLines.compactMap { $0.hasPrefix("ack ") ? UInt64($0.dropFirst(4)) : nil }
            acknowledged = max(acknowledged, acks.max() ?? 0)
            try verifyBatches(at: path, acknowledged: acknowledged)
        }
        #expect(kills >= 30)
        #expect(acknowledged > 0)
    }

    /// Opens the environment with no recovery step and checks every batch is all or nothing.
    private func verifyBatches(at path: String, acknowledged: UInt64) throws {
        let environment = try Environment.open(at: path, options: .init(databases: ["data"]))
        let data = try environment.database("data")
        try environment.read { tx in
            let last = number(try tx.get(key("last"), in: data)) ?? 0
            #expect(last >= acknowledged, "acknowledged batch \(acknowledged) lost; last is \(last)")
            for batch in 1...max(last, 1) where last > 0 {
                var values: [UInt64] = []
                try tx.scan(data, in: .prefix(Array("batch/\(batch)/".utf8))) { _, value in
                    values.append(number(Array(value))!)
                    return true
                }
                #expect(values.count == 20, "batch \(batch) has \(values.count) of 20 records")
                #expect(values.reduce(0, +) == number(try tx.get(key("sum/\(batch)"), in: data)))
            }
            let beyond = try tx.entries(in: data, range: .prefix(Array("sum/\(last + 1)".utf8)))
            #expect(beyond.isEmpty, "a batch after the last committed one is partly there")
        }
    }

    @Test func twoProcessesInsertingAtOnceLoseAndTearNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("env")
        let writers = try ["left", "right"].map {
            try HelperProcess("StorageTestHelper", ["insert", path, $0, "10000"])
        }
        for writer in writers {
            #expect(writer.waitForExit() == 0, "\(writer.errorOutput)")
        }
        let environment = try Environment.open(at: path, options: .init(databases: ["data"]))
        let data = try environment.database("data")
        let entries = try environment.read { tx in try tx.entries(in: data) }
        #expect(entries.count == 20_000)
        var counts: [String: Int] = [:]
        for (key, value) in entries {
            let name = String(decoding: key, as: UTF8.self)
            #expect(value.count == 100)
            // The helper's value ends in a checksum of its first 92 bytes.
            let sum = value.prefix(92).reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) }
            #expect(number(Array(value.suffix(8))) == sum, "torn value under \(name)")
            counts[String(name.prefix { $0 != "-" }), default: 0] += 1
        }
        #expect(counts == ["left": 10_000, "right": 10_000])
    }

    @Test func nextOpenFreesTheSlotOfAKilledReader() throws {
        let directory = TemporaryDirectory()
        // This process keeps the environment open, as a running service would, so LMDB keeps its reader table
        // (the last process to leave an environment takes the table with it).
        let (environment, _) = try makeEnvironment(in: directory)
        let reader = try HelperProcess("StorageTestHelper", ["hold-reader", environment.path])
        #expect(reader.waitForLine { $0 == "reading" })
        #expect(try environment.stats().readersInUse == 1)
        reader.kill()
        #expect(try environment.stats().readersInUse == 1, "the killed reader's slot stays taken until an open")
        let opener = try HelperProcess("StorageTestHelper", ["open", environment.path])
        #expect(opener.waitForExit() == 0)
        #expect(opener.outputLines == ["cleared 1 in-use 0"])
        #expect(try environment.stats().readersInUse == 0)
    }
}
