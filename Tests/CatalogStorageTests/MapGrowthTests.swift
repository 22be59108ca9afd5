import CatalogStorage
import CatalogTestSupport
import Testing

@Suite struct MapGrowthTests {
    @Test func smallMapTakes200kRecordsWhileAnotherProcessReadsAndWrites() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(mapSize: 64 * 1024, in: directory)
        let startSize = try environment.stats().mapSize
        #expect(startSize == 64 * 1024)
        let churn = try HelperProcess("StorageTestHelper", ["churn", environment.path, "4"])
        #expect(churn.waitForLine { $0 == "started" })
        let value = Array(repeating: UInt8(0x5A), count: 100)
        for batch in 0..<200 {
            try environment.writeBlocking { tx in
                for index in 0..<1000 {
                    try tx.put(value, for: key("r/\(batch * 1000 + index)"), in: data)
                }
            }
        }
        let status = churn.waitForExit()
        #expect(status == 0, "churn process: \(churn.errorOutput)")
        #expect(churn.output.contains("churned writes="))
        let stats = try environment.stats()
        let records = try environment.read { tx in
            var count = 0
            try tx.scan(data, in: .prefix(Array("r/".utf8))) { _, value in
                count += value.count == 100 ? 1 : 0
                return true
            }
            return count
        }
        #expect(records == 200_000)
        #expect(stats.mapSize > startSize)
    }

    @Test func growthWaitsForLiveReadersOfThisProcess() async throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(mapSize: 64 * 1024, in: directory)
        try await environment.write { tx in try tx.put([1], for: key("seed"), in: data) }
        // Readers on other threads hold snapshots while a writer fills the map; the writer waits for them.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<200 {
                        let seed = try environment.read { tx in try tx.get(key("seed"), in: data) }
                        #expect(seed == [1])
                    }
                }
            }
            group.addTask {
                for batch in 0..<20 {
                    try await environment.write { tx in
                        for index in 0..<500 {
                            try tx.put(Array(repeating: 7, count: 64), for: key("g/\(batch)/\(index)"), in: data)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try environment.read { tx in try tx.count(of: data) } == 10_001)
    }

    @Test func writeInsideAReadOnTheSameThreadCannotGrowAndSaysWhy() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(mapSize: 64 * 1024, in: directory)
        let error = try #require(throws: StorageError.self) {
            try environment.read { _ in
                try environment.writeBlocking { tx in
                    for index in 0..<5000 {
                        try tx.put(Array(repeating: 1, count: 100), for: key("x\(index)"), in: data)
                    }
                }
            }
        }
        #expect(error.code == .cannotGrow)
        #expect(try environment.read { tx in try tx.count(of: data) } == 0)
    }
}
