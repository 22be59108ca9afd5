import CatalogTestSupport
import Foundation
import Testing

/// A suite trait that starts one 3-member etcd cluster for the suite's `catalog --store` runs and stops every
/// member, by PID, when the suite ends; each test keeps to a catalog name of its own.
struct CommandEtcdCluster: SuiteTrait, TestScoping {
    @TaskLocal static var current: EtcdCluster?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try EtcdCluster(members: 3)
        defer { cluster.stop() }
        try await Self.$current.withValue(cluster) { try await function() }
    }

    static var cluster: EtcdCluster {
        guard let current else { preconditionFailure("use @Suite(.commandEtcdCluster)") }
        return current
    }
}

extension Trait where Self == CommandEtcdCluster {
    /// One 3-member etcd cluster for the suite.
    static var commandEtcdCluster: Self { Self() }
}

/// `catalog` runs against one catalog in the suite's etcd cluster: `--store etcd://<member>/<name>` and a key
/// file in a temporary home.
struct EtcdHome {
    let home = CatalogHome()
    let name: String

    init(_ label: String) { name = "\(label)-\(UUID().uuidString.prefix(8))" }

    var keyFile: String { home.keyFile }

    /// `etcd://host:port/name` for member `member`, or every member with `nil`.
    func store(member: Int? = 0) -> String {
        let endpoints = CommandEtcdCluster.cluster.endpoints.map { $0.replacingOccurrences(of: "http://", with: "") }
        let members = member.map { [endpoints[$0]] } ?? endpoints
        return "etcd://\(members.joined(separator: ","))/\(name)"
    }

    /// The store and key options, inserted after a leading subcommand name.
    func arguments(_ arguments: [String], member: Int? = 0, keyFile: String? = nil) -> [String] {
        var arguments = arguments
        let at =
            arguments.first.map(catalogSubcommands.union(["backup", "export", "import", "verify", "restore"]).contains)
                == true ? 1 : 0
        arguments.insert(contentsOf: ["--store", store(member: member), "--key-file", keyFile ?? self.keyFile], at: at)
        return arguments
    }

    func run(_ arguments: [String], member: Int? = 0, keyFile: String? = nil, input: String? = nil) throws -> CatalogRun
    {
        try home.run(self.arguments(arguments, member: member, keyFile: keyFile), input: input, withPath: false)
    }

    @discardableResult
    func sql(
        _ text: String, member: Int? = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [JSONOutcome] {
        let run = try run(["--format", "json", "-e", text], member: member)
        try #require(
            run.status == 0, "\(text) failed: \(run.output) \(run.errorOutput)", sourceLocation: sourceLocation)
        return try run.outcomes(sourceLocation: sourceLocation)
    }

    func attempt(
        _ text: String, member: Int? = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> JSONOutcome {
        try run(["--format", "json", "-e", text], member: member).outcomes(sourceLocation: sourceLocation).last
            ?? .ok(notices: ["no outcome"])
    }

    func describe(
        _ name: String, extended: Bool = false, member: Int? = 0, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws -> [String: String?]
    {
        let outcomes = try sql(
            "DESC CONNECTION \(extended ? "EXTENDED " : "")\(name)", member: member, sourceLocation: sourceLocation)
        let result = try #require(outcomes.first?.resultSet, sourceLocation: sourceLocation)
        var rows: [String: String?] = [:]
        for row in result.rows { rows[row[0] ?? ""] = row[1] }
        return rows
    }

    func names(
        _ show: String = "SHOW CONNECTIONS", member: Int? = 0, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws -> [String]
    {
        let result = try #require(try sql(show, member: member, sourceLocation: sourceLocation).first?.resultSet)
        return result.rows.map { $0[0] ?? "" }
    }

    /// Starts `catalog sql` reading statements from a pipe, so a test can act between them.
    func launch(member: Int) throws -> StreamingCatalog {
        try StreamingCatalog(
            "\(HelperProcess.buildDirectory)/catalog", arguments(["--format", "json"], member: member),
            environment: home.environment)
    }
}

/// A `catalog` process fed statements through standard input while its JSON Lines are read as they come.
final class StreamingCatalog {
    private let process = Process()
    private let input = Pipe()
    private let output = ByteSink()
    let errors = ByteSink()
    private let drained = DispatchGroup()

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        try process.runDrained(input: input, output: output, errors: errors, group: drained)
    }

    func send(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

    /// Waits (at most `timeout` seconds) until `count` outcomes have been printed; the outcomes so far.
    func waitForOutcomes(_ count: Int, timeout: Double = 90) throws -> [JSONOutcome] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let text = output.text
            let complete =
                text.hasSuffix("\n")
                ? text : String(text[..<(text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex)])
            let outcomes = try JSONOutcome.parseLines(complete)
            if outcomes.count >= count || Date() >= deadline || !process.isRunning { return outcomes }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Closes standard input and waits for the process to end.
    func finish() throws -> CatalogRun {
        try input.fileHandleForWriting.close()
        drained.wait()
        process.waitUntilExit()
        return CatalogRun(status: process.terminationStatus, output: output.text, errorOutput: errors.text)
    }
}
