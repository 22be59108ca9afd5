import CatalogTestSupport
import Foundation
import Testing

/// `catalog changes --follow` in one process while other processes change the catalog: every change is told
/// once, in revision order, on LMDB and on etcd.
@Suite struct ChangeFeedProcessTests {
    @Test func aSecondProcessHearsEveryChangeOnceInOrderOnLMDB() throws {
        let home = CatalogHome()
        try home.sql("SHOW CONNECTIONS")
        let follower = try FeedFollower(
            arguments: ["changes", "--path", home.path, "--key-file", home.keyFile], count: ChangeScript.expected.count,
            environment: home.environment)
        for statement in ChangeScript.statements { try home.sql(statement) }
        let told = try follower.finish()
        try ChangeScript.check(told, consecutive: true)
        // Nothing beyond them, nothing twice: the log read again from the same place says the same.
        let again = try home.run(["changes", "--format", "json", "--after", "\(follower.start)"])
        #expect(again.status == 0, "\(again.errorOutput)")
        #expect(try FeedLine.parse(again.output) == told)
    }
}

/// A commit killed halfway (SIGKILL from the fail point) leaves neither its changes nor their log entries.
@Suite struct ChangeLogCrashTests {
    @Test func aTransactionKilledHalfwayThroughItsCommitLeavesNoChangeAndNoEntry() throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("before"))
        let script = "BEGIN;\n" + (0..<200).map { SQLFixture.api("fn_\($0)") + ";\n" }.joined() + "COMMIT;\n"
        let killed = try home.run(
            ["--format", "json"], input: script, extraEnvironment: ["CATALOG_FAILPOINT": "kill-mid-commit"])
        // Only the fail point sends SIGKILL: the kill landed inside the commit, half of its writes applied.
        #expect(killed.status == SIGKILL, "\(killed.errorOutput)")
        let afterKill = try home.run(["changes", "--format", "json"])
        #expect(try FeedLine.parse(afterKill.output).map(\.name) == ["before"])
        #expect(try home.sql("SHOW CONNECTIONS").first?.resultSet?.rows.count == 1)
        // The same transaction, not killed: its 200 changes, numbered on from the log's last entry.
        let committed = try home.run(["--format", "json"], input: script)
        #expect(committed.status == 0, "\(committed.errorOutput)")
        let lines = try FeedLine.parse(try home.run(["changes", "--format", "json", "--after", "1"]).output)
        #expect(lines.map(\.revision) == Array(2...201))
        #expect(lines.map(\.name) == (0..<200).map { "fn_\($0)" })
    }
}

@Suite(.commandEtcdCluster)
struct EtcdChangeFeedProcessTests {
    @Test func aSecondProcessHearsEveryChangeOnceInOrderOnEtcd() throws {
        let etcd = EtcdHome("feed")
        try etcd.sql("SHOW CONNECTIONS")
        // The follower watches through member 2 while the changes go through member 1.
        let follower = try FeedFollower(
            arguments: etcd.arguments(["changes"], member: 1), count: ChangeScript.expected.count,
            environment: etcd.home.environment)
        for statement in ChangeScript.statements { try etcd.sql(statement, member: 0) }
        let told = try follower.finish()
        try ChangeScript.check(told, consecutive: false)
        let again = try etcd.run(["changes", "--format", "json", "--after", "\(follower.start)"], member: 2)
        #expect(again.status == 0, "\(again.errorOutput)")
        #expect(try FeedLine.parse(again.output) == told)
    }
}

/// Changes of every kind, one process per statement; a transaction's two changes commit together.
enum ChangeScript {
    static let statements = [
        SQLFixture.api("fc"),
        SQLFixture.oss("lake", secret: "planted-feed-secret"),
        "ALTER CONNECTION fc SET COMMENT = 'first'",
        "ALTER CONNECTION fc RENAME TO fc_main",
        "ALTER CONNECTION fc_main ROTATE EXTERNAL_ID",
        "ALTER CONNECTION fc_main DISABLE",
        "ALTER CONNECTION fc_main ENABLE",
        "DROP CONNECTION IF EXISTS nothing_here",
        "BEGIN; ALTER CONNECTION lake SET ACCESS_KEY = 'another-feed-secret'; DROP CONNECTION fc_main; COMMIT",
    ]

    /// kind, name, previous name.
    static let expected: [(String, String, String?)] = [
        ("create", "fc", nil), ("create", "lake", nil), ("alter", "fc", nil), ("rename", "fc_main", "fc"),
        ("rotate", "fc_main", nil), ("disable", "fc_main", nil), ("enable", "fc_main", nil),
        ("alter", "lake", nil), ("drop", "fc_main", nil),
    ]

    static func check(_ told: [FeedLine], consecutive: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(told.count == expected.count, "\(told)", sourceLocation: sourceLocation)
        for (line, (kind, name, previous)) in zip(told, expected) {
            #expect(
                line.kind == kind && line.name == name && line.previousName == previous, "\(line)",
                sourceLocation: sourceLocation)
            #expect(line.workspace == "default", sourceLocation: sourceLocation)
        }
        let revisions = told.map(\.revision)
        if consecutive {
            #expect(
                zip(revisions, revisions.dropFirst()).allSatisfy { $1 == $0 + 1 }, "\(revisions)",
                sourceLocation: sourceLocation)
        } else {
            // On etcd the transaction's two changes share its revision; every other commit has its own.
            let pairs = Array(zip(revisions, revisions.dropFirst()))
            #expect(pairs.dropLast().allSatisfy { $0 < $1 }, "\(revisions)", sourceLocation: sourceLocation)
            #expect(pairs.last.map { $0 == $1 } == true, "\(revisions)", sourceLocation: sourceLocation)
        }
    }
}

/// One line of `catalog changes --format json`.
struct FeedLine: Equatable, CustomStringConvertible {
    var revision: UInt64
    var kind: String
    var workspace: String?
    var name: String?
    var previousName: String?

    var description: String { "\(revision) \(kind) \(name ?? "-") \(previousName ?? "")" }

    static func parse(_ text: String) throws -> [FeedLine] {
        try text.split(separator: "\n").map { line in
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            return FeedLine(
                revision: try #require((object["revision"] as? NSNumber)?.uint64Value, "\(line)"),
                kind: try #require(object["kind"] as? String, "\(line)"), workspace: object["workspace"] as? String,
                name: object["name"] as? String, previousName: object["previous_name"] as? String)
        }
    }
}

/// `catalog changes --follow --after latest --count N --format json` running in a process of its own.
final class FeedFollower {
    private let process = Process()
    private let output = ByteSink()
    private let errors = ByteSink()
    private let drained = DispatchGroup()
    /// The revision it follows from, as it announced on standard error.
    private(set) var start: UInt64 = 0

    init(arguments: [String], count: Int, environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: "\(HelperProcess.buildDirectory)/catalog")
        process.arguments = arguments + ["--format", "json", "--follow", "--after", "latest", "--count", "\(count)"]
        process.environment = environment
        try process.runDrained(input: FileHandle.nullDevice, output: output, errors: errors, group: drained)
        // Changes made before it has read its starting revision would not be told: wait until it says it follows.
        let deadline = Date().addingTimeInterval(60)
        while !errors.text.contains("following changes after revision") {
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                throw FollowerFailed(message: "the follower did not start: \(errors.text)")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let words = errors.text.split(whereSeparator: \.isWhitespace)
        start = words.firstIndex(of: "revision").flatMap { UInt64(words[words.index(after: $0)]) } ?? 0
    }

    /// Waits for the follower to exit after its `count` lines (killing it after a safety limit) and parses them.
    func finish() throws -> [FeedLine] {
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate() }
        drained.wait()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the follower failed: \(errors.text)")
        #expect(!output.text.contains("feed-secret"), "a secret reached the feed's output")
        return try FeedLine.parse(output.text)
    }
}

struct FollowerFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
