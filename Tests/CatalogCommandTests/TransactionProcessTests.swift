import CatalogSQL
import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

/// BEGIN … COMMIT against other processes: a second `catalog` process moving what a transaction read, and
/// a `catalog` process killed while it runs a transaction of 10,000 creates.
@Suite struct TransactionProcessTests {
    enum Interference: String, CaseIterable, CustomTestStringConvertible {
        case changes, drops, creates, createsInAListedRange
        var testDescription: String { rawValue }
    }

    @Test(arguments: Interference.allCases)
    func aSecondProcessMovingWhatTheTransactionReadMakesCommitAConflict(_ interference: Interference) throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("x", comment: "original"))
        let catalog = try Catalog.open(at: home.path, keySource: .keyFile(path: home.keyFile))
        let session = Session(catalog: catalog)
        let read: String
        switch interference {
        case .changes, .drops: read = "DESC CONNECTION x"
        case .creates: read = SQLFixture.api("y")
        case .createsInAListedRange: read = "SHOW CONNECTIONS LIKE 'z%'"
        }
        let inside = session.executeBlocking("BEGIN; \(read); \(SQLFixture.api("mine"))")
        #expect(!inside.contains { $0.isFailure }, "\(inside)")
        // Another process, between the transaction's reads and its COMMIT.
        let other: String
        switch interference {
        case .changes: other = "ALTER CONNECTION x SET COMMENT = 'from b'"
        case .drops: other = "DROP CONNECTION x"
        case .creates: other = SQLFixture.api("y")
        case .createsInAListedRange: other = SQLFixture.api("zeta")
        }
        #expect(try home.sql(other) == [JSONOutcome.ok(notices: [])])
        let commit = session.executeBlocking("COMMIT")
        guard case .failure(let error) = try #require(commit.first) else {
            Issue.record("COMMIT succeeded: \(commit)")
            return
        }
        #expect(error.code == "conflict")
        #expect(!session.isInTransaction)
        #expect(try !home.names().contains("mine"), "nothing of the transaction is written")
        if interference == .changes { #expect(error.message.contains("connection 'x'")) }
    }

    /// A script of BEGIN, 10,000 creates and COMMIT.
    static func bulkScript(in home: CatalogHome) throws -> String {
        let file = home.directory.appending("bulk.sql")
        var script = "BEGIN;\n"
        for index in 0..<10_000 { script += SQLFixture.api("fn_\(index)") + ";\n" }
        script += "COMMIT;\n"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func launch(_ home: CatalogHome, script: String, failPoint: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(HelperProcess.buildDirectory)/catalog")
        process.arguments = ["--path", home.path, "--format", "json", "-f", script]
        process.environment = home.environment.merging(failPoint.map { ["CATALOG_FAILPOINT": $0] } ?? [:]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func count(_ home: CatalogHome) throws -> Int {
        let catalog = try Catalog.open(at: home.path, keySource: .keyFile(path: home.keyFile))
        return try catalog.read { try $0.count() }
    }

    @Test func aProcessKilledHalfwayThroughCommittingTenThousandCreatesCommitsNothing() throws {
        let home = CatalogHome()
        try home.sql("SHOW CONNECTIONS")
        let script = try Self.bulkScript(in: home)
        for _ in 0..<2 {
            let process = try Self.launch(home, script: script, failPoint: "kill-mid-commit")
            process.waitUntilExit()
            // Only the fail point sends SIGKILL: the kill landed inside the commit, with half the writes applied.
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
            #expect(try Self.count(home) == 0)
        }
        // The same script, not killed, commits everything.
        let process = try Self.launch(home, script: script)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try Self.count(home) == 10_000)
    }

    @Test func aProcessKilledAtRandomDuringTenThousandCreatesCommitsAllOrNothing() throws {
        let home = CatalogHome()
        try home.sql("SHOW CONNECTIONS")
        let script = try Self.bulkScript(in: home)
        // How long a whole run takes here, so that the kills spread over all of it.
        let started = ContinuousClock.now
        let whole = try Self.launch(home, script: script)
        whole.waitUntilExit()
        let duration = ContinuousClock.now - started
        #expect(try Self.count(home) == 10_000)
        // Each round drops the 10,000, then runs the script again and kills it at a random moment.
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<8 {
            let dropped = try home.run(["--format", "json", "-f", try dropScript(in: home)])
            #expect(dropped.status == 0)
            #expect(try Self.count(home) == 0)
            let process = try Self.launch(home, script: script)
            let delay = Double.random(in: 0.05...1.0, using: &generator) * Double(duration.components.seconds + 1)
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            let count = try Self.count(home)
            #expect(count == 0 || count == 10_000, "a kill after \(delay) s left \(count) connections")
            if process.terminationStatus == 0 { #expect(count == 10_000) }
        }
        #expect(killed > 0, "at least one kill landed while the transaction ran")
    }

    private func dropScript(in home: CatalogHome) throws -> String {
        let file = home.directory.appending("drop.sql")
        var script = "BEGIN;\n"
        for index in 0..<10_000 { script += "DROP CONNECTION IF EXISTS fn_\(index);\n" }
        script += "COMMIT;\n"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}
