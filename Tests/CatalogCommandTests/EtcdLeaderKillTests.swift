import CatalogTestSupport
import Foundation
import Testing

/// The Raft leader SIGKILLed while three `catalog` processes write through the catalog: a cluster of its own.
@Suite struct EtcdLeaderKillTests {
    static let createsBefore = 60
    static let createsAfter = 10

    @Test func whenTheLeaderIsKilledMidLoadEveryAcknowledgedCreateIsThereAndWritesResume() throws {
        let cluster = try EtcdCluster(members: 3)
        defer { cluster.stop() }
        try CommandEtcdCluster.$current.withValue(cluster) {
            let etcd = EtcdHome("leader-kill")
            try etcd.sql(SQLFixture.api("seed"), member: nil)
            let endpoints = cluster.endpoints.map { $0.replacingOccurrences(of: "http://", with: "") }
            // Each process lists every member, starting from its own, so all three members carry requests.
            let processes = try (0..<3).map { member in
                let store =
                    "etcd://" + (0..<3).map { endpoints[(member + $0) % 3] }.joined(separator: ",") + "/\(etcd.name)"
                return try StreamingCatalog(
                    "\(HelperProcess.buildDirectory)/catalog",
                    ["--format", "json", "--on-error", "continue", "--store", store, "--key-file", etcd.keyFile],
                    environment: etcd.home.environment)
            }
            for (member, process) in processes.enumerated() {
                process.send((0..<Self.createsBefore).map { SQLFixture.api("p\(member)_\($0)") + ";\n" }.joined())
            }
            // Once the first process has its first creates acknowledged, the leader dies.
            _ = try processes[0].waitForOutcomes(5)
            let leader = try #require(cluster.awaitLeader(), "the cluster named no leader")
            let doneAtKill = try processes.map { try $0.waitForOutcomes(0).count }
            cluster.kill(leader)
            #expect(doneAtKill.contains { $0 < Self.createsBefore }, "the leader was killed mid-load: \(doneAtKill)")

            let before = try processes.map { try $0.waitForOutcomes(Self.createsBefore) }
            let newLeader = try #require(cluster.awaitLeader(), "no new leader after the kill")
            #expect(newLeader != leader)
            // Writes resume through the survivors: every create after the election is acknowledged.
            for (member, process) in processes.enumerated() {
                process.send((0..<Self.createsAfter).map { SQLFixture.api("q\(member)_\($0)") + ";\n" }.joined())
            }
            let all = try processes.map { try $0.waitForOutcomes(Self.createsBefore + Self.createsAfter) }
            let runs = try processes.map { try $0.finish() }

            let names = try etcd.names(member: nil)
            #expect(Set(names).count == names.count, "no create applied twice")
            for member in 0..<3 {
                #expect(before[member].count == Self.createsBefore, "process \(member): \(runs[member].errorOutput)")
                for (index, outcome) in before[member].enumerated() {
                    if outcome.isOK {
                        #expect(names.contains("p\(member)_\(index)"), "acknowledged p\(member)_\(index) was lost")
                    } else {
                        // A create may fail while no leader answers, but only as unavailable, never half done.
                        #expect(outcome.errorCode == "unavailable", "p\(member)_\(index): \(outcome)")
                    }
                }
                let after = all[member].dropFirst(Self.createsBefore)
                #expect(
                    after.count == Self.createsAfter && after.allSatisfy(\.isOK),
                    "process \(member) after the election: \(Array(after))")
                for index in 0..<Self.createsAfter { #expect(names.contains("q\(member)_\(index)")) }
            }
        }
    }
}
