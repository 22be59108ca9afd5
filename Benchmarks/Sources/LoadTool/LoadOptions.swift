import Foundation

/// The load tool's command line: `--path DIR --connections N --readers R --seconds S [--processes P]`, and the
/// hidden options the parent gives its child processes.
struct LoadOptions: Sendable {
    /// The folder holding the catalog (`catalog/`), its key file (`master.key`) and the run's logs (`logs/`).
    var path = ""
    var connections = 100_000
    var readers = 4
    var seconds = 10.0
    var processes = 1
    /// Set in a child process: its index (1…P-1), where to write its report, and when to start (Unix ms).
    var child: Int?
    var reportPath: String?
    var startAtMilliseconds: Int64?
    var parent: Int32?

    static let usage = """
        usage: LoadTool --path DIR --connections N --readers R --seconds S [--processes P]

        Creates (or reuses) a catalog of N connections in DIR, then for S seconds runs R reader threads doing
        `DESC CONNECTION <random>` through a SQL session and one writer thread doing ALTER … SET COMMENT, in
        each of P processes; reports throughput and p50/p99/p999 latency, then checks that no acknowledged
        ALTER was lost (exit status 1 if one was).
        """

    /// Parses `arguments` (without the program name).
    ///
    /// - Throws: `UsageError` naming the argument that is missing, unknown or not a positive number.
    static func parse(_ arguments: [String]) throws(UsageError) -> LoadOptions {
        var options = LoadOptions()
        var remaining = arguments[...]
        func value(for flag: String) throws(UsageError) -> String {
            guard let value = remaining.popFirst() else { throw UsageError("\(flag) needs a value") }
            return value
        }
        func positive(_ flag: String) throws(UsageError) -> Int {
            let text = try value(for: flag)
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number > 0 else {
                throw UsageError("\(flag) must be a positive whole number, not '\(text)'")
            }
            return number
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--path": options.path = try value(for: flag)
            case "--connections": options.connections = try positive(flag)
            case "--readers": options.readers = try positive(flag)
            case "--processes": options.processes = try positive(flag)
            case "--seconds":
                let text = try value(for: flag)
                guard let seconds = Double(text), seconds > 0 else {
                    throw UsageError("--seconds must be a positive number, not '\(text)'")
                }
                options.seconds = seconds
            case "--child": options.child = try positive(flag)
            case "--report": options.reportPath = try value(for: flag)
            case "--start-at":
                let text = try value(for: flag)
                guard let start = Int64(text) else { throw UsageError("--start-at must be Unix milliseconds") }
                options.startAtMilliseconds = start
            case "--parent":
                let text = try value(for: flag)
                guard let parent = Int32(text) else { throw UsageError("--parent must be a process id") }
                options.parent = parent
            case "-h", "--help": throw UsageError(nil)
            default: throw UsageError("unknown argument '\(flag)'")
            }
        }
        guard !options.path.isEmpty else { throw UsageError("--path is required") }
        if options.child != nil, options.reportPath == nil || options.startAtMilliseconds == nil {
            throw UsageError("--child needs --report and --start-at (it is started by the tool itself)")
        }
        return options
    }

    /// The arguments that start child process `index` on the same catalog.
    func childArguments(index: Int, report: String, startAtMilliseconds: Int64) -> [String] {
        [
            "--path", path, "--connections", "\(connections)", "--readers", "\(readers)", "--seconds", "\(seconds)",
            "--child", "\(index)", "--report", report, "--start-at", "\(startAtMilliseconds)",
        ]
    }
}

/// A command line the tool cannot run; `message` is `nil` for `--help`.
struct UsageError: Error {
    var message: String?
    init(_ message: String?) { self.message = message }
}
