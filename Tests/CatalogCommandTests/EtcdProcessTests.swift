import CatalogTestSupport
import Foundation
import Testing

/// Three `catalog` processes writing at once, each through a different member of one etcd cluster.
@Suite(.commandEtcdCluster)
struct EtcdProcessTests {
    static let createsPerProcess = 15

    @Test func threeProcessesThroughThreeMembersLoseNothingAndConflictsSurface() throws {
        let etcd = EtcdHome("three")
        try etcd.sql(SQLFixture.api("shared", comment: "original"))
        let processes = try (0..<3).map { member in try etcd.launch(member: member) }
        // Every process's autocommitted creates race the others'; then each opens a transaction that alters the
        // same connection, and all three COMMITs are sent only once every transaction has read it.
        for (member, process) in processes.enumerated() {
            var script = ""
            for index in 0..<Self.createsPerProcess { script += SQLFixture.api("p\(member)_\(index)") + ";\n" }
            script += "BEGIN;\nALTER CONNECTION shared SET COMMENT = 'from \(member)';\n"
            process.send(script)
        }
        for process in processes {
            let outcomes = try process.waitForOutcomes(Self.createsPerProcess + 2)
            #expect(
                outcomes.count == Self.createsPerProcess + 2 && outcomes.allSatisfy { $0.errorCode == nil },
                "\(outcomes) \(process.errors.text)")
        }
        for process in processes { process.send("COMMIT;\n") }
        let runs = try processes.map { try $0.finish() }
        let commits = try runs.map { try #require(try $0.outcomes().last) }
        #expect(commits.filter(\.isOK).count == 1, "exactly one COMMIT wins: \(commits)")
        #expect(commits.filter { $0.errorCode == "conflict" }.count == 2, "the others conflict: \(commits)")
        #expect(runs.map(\.status).sorted() == [0, 1, 1])

        let names = try etcd.names(member: nil)
        #expect(names.count == 3 * Self.createsPerProcess + 1, "nothing lost")
        for member in 0..<3 {
            for index in 0..<Self.createsPerProcess { #expect(names.contains("p\(member)_\(index)")) }
        }
        let winner = try #require(commits.firstIndex { $0.isOK })
        let shared = try etcd.describe("shared", member: 2)
        #expect(shared["comment"] == "from \(winner)" && shared["version"] == "2")
    }
}
