import CatalogTestSupport
import Foundation
import Testing

/// Runs the built `catalog` binary with `arguments` in a fresh catalog directory, and collects what it printed.
struct CatalogRun {
    let status: Int32
    let output: String
    let errorOutput: String

    /// Standard output parsed as JSON Lines: one outcome per line, each checked against the documented shapes.
    func outcomes(sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONOutcome] {
        try JSONOutcome.parseLines(output, sourceLocation: sourceLocation)
    }

    /// The only outcome of a one-statement JSON run.
    func outcome(sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONOutcome {
        let all = try outcomes(sourceLocation: sourceLocation)
        try #require(
            all.count == 1, "expected one JSON line, got \(all.count): \(output)", sourceLocation: sourceLocation)
        return all[0]
    }
}

/// Bytes collected from a pipe by another thread.
final class ByteSink: @unchecked Sendable {
    // Safe because: `bytes` is only touched under `lock`.
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    func append(_ data: Data) { lock.withLock { bytes.append(contentsOf: data) } }
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}

/// Runs a program to its end and collects its output.
///
/// Not `HelperProcess`: its pipe handlers capture it `unowned`, and a handler that fires after the object is
/// released crashes the test process ("Attempted to read an unowned reference but object … was already
/// destroyed"). Here each pipe is drained to its end on its own thread before the result is built.
enum ChildProcess {
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], input: String?
    ) throws
        -> CatalogRun
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        let inputPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        let output = ByteSink()
        let errorOutput = ByteSink()
        let group = DispatchGroup()
        for (handle, sink) in [
            (outputPipe.fileHandleForReading, output), (errorPipe.fileHandleForReading, errorOutput),
        ] {
            DispatchQueue.global().async(group: group) { sink.append(handle.readDataToEndOfFile()) }
        }
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        group.wait()
        process.waitUntilExit()
        return CatalogRun(status: process.terminationStatus, output: output.text, errorOutput: errorOutput.text)
    }
}

/// The subcommands of `catalog`; global options go after the subcommand's name.
let catalogSubcommands: Set<String> = ["sql", "init", "stats", "settings", "rotate-key", "rekey", "check", "salvage"]

/// A temporary home for `catalog` runs: the catalog directory, its key file beside it, a history file.
struct CatalogHome {
    let directory = TemporaryDirectory("catalog-cli")
    var path: String { directory.appending("catalog") }
    var keyFile: String { directory.appending("catalog.key") }
    var historyFile: String { directory.appending("history") }
    var dataFile: String { "\(path)/data.mdb" }

    /// The environment a run gets: only what the program needs, nothing inherited that could point elsewhere.
    var environment: [String: String] {
        ["HOME": directory.path, "CATALOG_HISTORY_FILE": historyFile, "PATH": "/usr/bin:/bin"]
    }

    /// Runs `catalog` with `arguments`; `--path` (unless `withPath` is false) goes after a leading subcommand name.
    func run(
        _ arguments: [String], input: String? = nil, withPath: Bool = true, extraEnvironment: [String: String] = [:]
    ) throws -> CatalogRun {
        var arguments = arguments
        if withPath {
            let at = arguments.first.map(catalogSubcommands.contains) == true ? 1 : 0
            arguments.insert(contentsOf: ["--path", path], at: at)
        }
        return try ChildProcess.run(
            "\(HelperProcess.buildDirectory)/catalog", arguments,
            environment: environment.merging(extraEnvironment) { $1 },
            input: input)
    }

    /// Runs `sql` in JSON format and requires it to succeed.
    @discardableResult
    func sql(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONOutcome] {
        let run = try run(["--format", "json", "-e", text])
        try #require(
            run.status == 0, "\(text) failed: \(run.output) \(run.errorOutput)", sourceLocation: sourceLocation)
        return try run.outcomes(sourceLocation: sourceLocation)
    }

    /// Runs one statement in JSON format and returns its single outcome, whatever it is.
    func attempt(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONOutcome {
        try run(["--format", "json", "-e", text]).outcome(sourceLocation: sourceLocation)
    }

    /// `DESC CONNECTION [EXTENDED] name` as `info_name → info_value` (nil for NULL).
    func describe(
        _ name: String, extended: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) throws
        -> [String: String?]
    {
        let outcomes = try sql("DESC CONNECTION \(extended ? "EXTENDED " : "")\(name)", sourceLocation: sourceLocation)
        let result = try #require(outcomes.first?.resultSet, sourceLocation: sourceLocation)
        #expect(result.columns == ["info_name", "info_value"], sourceLocation: sourceLocation)
        var rows: [String: String?] = [:]
        for row in result.rows { rows[row[0] ?? ""] = row[1] }
        return rows
    }

    /// The names SHOW lists for `show` (a SHOW statement), in order.
    func names(
        _ show: String = "SHOW CONNECTIONS", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String] {
        let result = try #require(try sql(show, sourceLocation: sourceLocation).first?.resultSet)
        return result.rows.map { $0[0] ?? "" }
    }

    /// The POSIX permission bits of `path`.
    func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// One statement's outcome in `--format json`, checked against the shapes of docs/cli.md.
enum JSONOutcome: Equatable, CustomStringConvertible {
    case result(columns: [String], rows: [[String?]], notices: [String])
    case ok(notices: [String])
    case error(code: String, message: String, line: Int?, column: Int?)

    var resultSet: (columns: [String], rows: [[String?]])? {
        if case .result(let columns, let rows, _) = self { return (columns, rows) }
        return nil
    }

    var errorCode: String? {
        if case .error(let code, _, _, _) = self { return code }
        return nil
    }

    var notices: [String] {
        switch self {
        case .result(_, _, let notices), .ok(let notices): notices
        case .error: []
        }
    }

    var isOK: Bool {
        if case .ok = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .result(let columns, let rows, let notices): "result(\(columns), \(rows.count) rows, \(notices))"
        case .ok(let notices): "ok(\(notices))"
        case .error(let code, let message, let line, let column):
            "error(\(code) at \(line.map(String.init) ?? "-"):\(column.map(String.init) ?? "-"): \(message))"
        }
    }

    struct ShapeError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses every line of `text` with `JSONSerialization`; each must be one object of a documented shape.
    static func parseLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONOutcome] {
        guard !text.isEmpty else { return [] }
        #expect(text.hasSuffix("\n"), "JSON Lines output must end in a newline", sourceLocation: sourceLocation)
        return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
            .map { try parse(String($0)) }
    }

    /// Parses one line.
    static func parse(_ line: String) throws -> JSONOutcome {
        let any = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        guard let object = any as? [String: Any] else { throw ShapeError(description: "not an object: \(line)") }
        let keys = Set(object.keys)
        func strings(_ value: Any?) throws -> [String] {
            guard let array = value as? [Any] else { throw ShapeError(description: "not an array in \(line)") }
            return try array.map {
                guard let string = $0 as? String else { throw ShapeError(description: "not a string in \(line)") }
                return string
            }
        }
        if keys == ["columns", "rows"] || keys == ["columns", "rows", "notices"] {
            let columns = try strings(object["columns"])
            guard let rawRows = object["rows"] as? [Any] else { throw ShapeError(description: "rows: \(line)") }
            let rows: [[String?]] = try rawRows.map { raw in
                guard let cells = raw as? [Any], cells.count == columns.count else {
                    throw ShapeError(description: "row does not match the columns: \(line)")
                }
                return try cells.map { cell in
                    if cell is NSNull { return nil }
                    guard let string = cell as? String else { throw ShapeError(description: "cell: \(line)") }
                    return string
                }
            }
            let notices = keys.contains("notices") ? try strings(object["notices"]) : []
            if keys.contains("notices") && notices.isEmpty { throw ShapeError(description: "empty notices: \(line)") }
            return .result(columns: columns, rows: rows, notices: notices)
        }
        if keys == ["ok"] || keys == ["ok", "notices"] {
            guard (object["ok"] as? Bool) == true else { throw ShapeError(description: "ok is not true: \(line)") }
            let notices = keys.contains("notices") ? try strings(object["notices"]) : []
            if keys.contains("notices") && notices.isEmpty { throw ShapeError(description: "empty notices: \(line)") }
            return .ok(notices: notices)
        }
        if keys == ["error"], let error = object["error"] as? [String: Any],
            Set(error.keys) == ["code", "message", "line", "column"],
            let code = error["code"] as? String, let message = error["message"] as? String
        {
            func position(_ value: Any?) throws -> Int? {
                if value is NSNull { return nil }
                guard let number = value as? Int else { throw ShapeError(description: "position: \(line)") }
                return number
            }
            return .error(
                code: code, message: message, line: try position(error["line"]), column: try position(error["column"]))
        }
        throw ShapeError(description: "no documented shape: \(line)")
    }
}

/// Connections the tests create, as SQL.
enum SQLFixture {
    static let awsRole = "arn:aws:iam::123456789012:role/lake"
    static let aliyunRole = "acs:ram::1234567890:role/lakehouse"

    static func api(_ name: String, comment: String? = nil) -> String {
        "CREATE API CONNECTION \(name) TYPE = CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' "
            + "ROLE_ARN = '\(awsRole)' CODE_BUCKET = 'code-bucket'" + (comment.map { " COMMENT = '\($0)'" } ?? "")
    }

    static func oss(_ name: String, secret: String = "oss-secret-value") -> String {
        "CREATE STORAGE CONNECTION \(name) TYPE = OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com' "
            + "ACCESS_ID = 'LTAI5tABCDEFGH' ACCESS_KEY = '\(secret)'"
    }

    static func cos(_ name: String, secret: String = "cos-secret-value") -> String {
        "CREATE STORAGE CONNECTION \(name) TYPE = COS REGION = 'ap-guangzhou' APP_ID = '1250000000' "
            + "ACCESS_KEY = 'AKIDabcdefgh' SECRET_KEY = '\(secret)'"
    }

    static func s3(_ name: String, secret: String = "s3-secret-value") -> String {
        "CREATE STORAGE CONNECTION \(name) TYPE = S3 REGION = 'us-east-1' "
            + "ACCESS_KEY_ID = 'AKIAABCDEFGH' SECRET_ACCESS_KEY = '\(secret)'"
    }
}

/// The interactive shell on a pseudo-terminal: `script -qec "stty -echo; exec catalog …" /dev/null`, fed line
/// by line through a pipe, so a test can act between statements.
final class ShellSession {
    let process = Process()
    private let input = Pipe()
    private let outputPipe = Pipe()
    private let sink = ByteSink()

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

    /// Starts the shell in `home` with `arguments` (global options), and waits for its banner.
    init(_ home: CatalogHome, _ arguments: [String] = ["--format", "json"]) throws {
        let binary = "\(HelperProcess.buildDirectory)/catalog"
        let command = (["stty", "-echo;", "exec", binary, "sql", "--path", home.path] + arguments)
            .map { $0.hasSuffix(";") ? $0 : "'\($0)'" }.joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = home.environment.merging(["SHELL": "/bin/sh", "TERM": "dumb"]) { $1 }
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        let sink = sink
        outputPipe.fileHandleForReading.readabilityHandler = { handle in sink.append(handle.availableData) }
        try process.run()
        guard wait(until: { $0.contains("End statements with ';'") }) else {
            throw JSONOutcome.ShapeError(description: "the shell did not start: \(output)")
        }
    }

    /// Everything the pseudo-terminal showed so far (CR LF turned into LF).
    var output: String {
        sink.text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The JSON outcomes printed so far (prompts stripped).
    var outcomes: [JSONOutcome] {
        output.split(separator: "\n").compactMap { line in
            guard let brace = line.firstIndex(of: "{"), line.hasSuffix("}") else { return nil }
            return try? JSONOutcome.parse(String(line[brace...]))
        }
    }

    /// Waits up to `timeout` seconds for the output to satisfy `predicate`.
    func wait(timeout: Double = 30, until predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(output) { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return predicate(output)
    }

    /// Types `line` and waits for the next JSON outcome; returns it.
    @discardableResult
    func send(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONOutcome {
        let before = outcomes.count
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        let arrived = wait { _ in outcomes.count > before }
        try #require(arrived, "no outcome for \(line): \(output)", sourceLocation: sourceLocation)
        return outcomes[before]
    }

    /// Types `\q`, closes the input and waits for the shell to end; returns its exit status.
    @discardableResult
    func quit() throws -> Int32 {
        input.fileHandleForWriting.write(Data("\\q\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        outputPipe.fileHandleForReading.readabilityHandler = nil
        sink.append(outputPipe.fileHandleForReading.readDataToEndOfFile())
        return process.terminationStatus
    }
}

extension Process {
    /// Runs the process with `input` as its standard input while its standard output and error are read as they
    /// come into `output` and `errors`, each on a queue of `group` (which both leave when the process closes them).
    func runDrained(input: Any, output: ByteSink, errors: ByteSink, group: DispatchGroup) throws {
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        standardInput = input
        standardOutput = outputPipe
        standardError = errorPipe
        try run()
        for (handle, sink) in [(outputPipe.fileHandleForReading, output), (errorPipe.fileHandleForReading, errors)] {
            DispatchQueue.global().async(group: group) {
                while true {
                    let data = handle.availableData
                    if data.isEmpty { return }
                    sink.append(data)
                }
            }
        }
    }
}
