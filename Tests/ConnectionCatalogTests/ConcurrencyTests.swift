import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@Suite struct ConcurrencyTests {
    /// Threads of this process and a second process alter the same connections with expected versions.
    @Test func everyConflictIsReportedAndNoUpdateIsLost() async throws {
        let test = TestCatalog()
        let catalog = try test.open()
        let names = ["hot_a", "hot_b", "hot_c"]
        try await catalog.write { writer in for text in names { try writer.create(awsFunction(text)) } }

        let helper = try HelperProcess(
            "CatalogTestHelper", ["alter", test.path, test.keyFile, "process", "90"] + names)
        let local = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<3 {
                group.addTask {
                    var lines: [String] = []
                    for round in 0..<60 {
                        let target = name(names[(round + worker) % names.count])
                        let version = try catalog.read { reader in try reader.connection(named: target)!.version }
                        let comment = "thread\(worker):\(round)"
                        do {
                            let changed = try await catalog.write { writer in
                                try writer.alter(target, expectedVersion: version, .comment(comment))
                            }
                            lines.append("ok \(target) \(changed.version) \(comment)")
                        } catch let error as CatalogError where error.code == .conflict {
                            lines.append("conflict \(target)")
                        }
                    }
                    return lines
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(helper.waitForExit() == 0, "\(helper.output)")
        #expect(helper.outputLines.contains { $0.hasPrefix("ok ") }, "the second process landed no change")
        #expect(local.contains { $0.hasPrefix("ok ") })
        let lines = local + helper.outputLines
        #expect(lines.count == 3 * 60 + 90)
        #expect(!lines.contains { $0.hasPrefix("error") })
        let conflicts = lines.filter { $0.hasPrefix("conflict") }.count
        print("alter race: \(lines.count - conflicts) changes landed, \(conflicts) conflicts reported")
        #expect(conflicts > 0, "the race produced no conflict; the test did not exercise anything")
        let successes = lines.filter { $0.hasPrefix("ok ") }.map { $0.split(separator: " ").map(String.init) }

        for text in names {
            let (current, history) = try catalog.read { reader in
                let current = try reader.connection(named: name(text))!
                return (current, try reader.history(of: current.id))
            }
            let mine = successes.filter { $0[1] == text }
            // Every success made exactly one version; the versions are 2…current, each once.
            #expect(Set(mine.map { $0[2] }).count == mine.count)
            #expect(mine.count == Int(current.version) - 1)
            #expect(history.map(\.version) == Array(1..<current.version))
            // No lost update: the comment each success wrote is in the version it was told it made.
            var byVersion: [UInt64: String] = [:]
            for version in history + [current] { byVersion[version.version] = version.comment ?? "" }
            for success in mine {
                let version = UInt64(success[2]) ?? 0
                let comment: String = success[3]
                #expect(byVersion[version] == comment, "an update on \(text) was lost")
            }
        }
    }
}
