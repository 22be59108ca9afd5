// Memory and file size of the catalog at scale, for docs/performance.md ("Memory and file size").
//
//   swift run -c release FootprintTool --catalog ../.build/release/catalog --records 1000000 --output FILE.json
//
// 1. Builds a catalog of N connections (the benchmarks' dataset: ConnectionIdentity names, OSS connections with
//    a sealed external ID, 10,000 per transaction) and the SQLite reference's table of the same N connections
//    (SQLiteStore, 10,000 per transaction), and records the size of each file.
// 2. Runs the built `catalog` binary on that catalog: backup, verify, restore (into a new path), export, and
//    import of the export into a new catalog; each child's peak resident set comes from wait4's rusage
//    (ru_maxrss: the high-water mark of resident pages, the file pages it maps included).
//
// Writes one JSON object: {"records", "files": {...bytes}, "commands": [{"name", "seconds", "peak_rss_kib",
// "status"}]}. Everything is made in a fresh directory under $BENCH_DIR (else the temporary directory) and removed.

import Baselines
import CatalogSealing
import ConnectionCatalog
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var catalogBinary = ""
    var records = 1_000_000
    var output = ""
    /// Set in the child that builds the datasets (`--build DIR`).
    var buildDirectory: String?

    init(_ arguments: [String]) throws {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw Failure("\(flag) needs a value") }
            switch flag {
            case "--catalog": catalogBinary = value
            case "--records": records = Int(value) ?? 0
            case "--output": output = value
            case "--build": buildDirectory = value
            default: throw Failure("unknown option \(flag)")
            }
        }
        guard buildDirectory != nil || (!catalogBinary.isEmpty && !output.isEmpty), records > 0 else {
            throw Failure("usage: FootprintTool --catalog BINARY --records N --output FILE.json")
        }
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One run of the `catalog` binary: its wall time, its peak resident set and its exit status.
struct CommandRun {
    var name: String
    var seconds: Double
    var peakKiB: Int
    var status: Int32
}

/// Runs `binary arguments…` with standard output and error sent to `log`, and waits for it with `wait4`.
func measure(_ name: String, _ binary: String, _ arguments: [String], log: String) throws -> CommandRun {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let started = Date()
    let rc = posix_spawn(&pid, binary, &actions, nil, argv, environ)
    guard rc == 0 else { throw Failure("posix_spawn \(binary): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else { throw Failure("wait4 failed") }
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return CommandRun(
        name: name, seconds: Date().timeIntervalSince(started), peakKiB: Int(usage.ru_maxrss), status: exit)
}

func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

func draft(_ index: UInt64) throws -> ConnectionDraft {
    let identity = ConnectionIdentity(index: index)
    let digits = String(index % 1_000_000)
    return ConnectionDraft(
        name: try ConnectionName(identity.name), workspace: try WorkspaceName(identity.workspace), type: .oss,
        properties: [
            ("REGION", "cn-hangzhou"), ("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"),
            ("ROLE_ARN", "acs:ram::1234567890\(String(repeating: "0", count: 6 - digits.count) + digits):role/lake"),
        ])
}

/// Builds both datasets in `directory` (run in a child process: see `run`).
func buildDatasets(in directory: String, records: UInt64) throws {
    let catalog = try Catalog.open(at: "\(directory)/catalog", keySource: .keyFile(path: "\(directory)/master.key"))
    var first: UInt64 = 0
    while first < records {
        let last = min(first + 10_000, records)
        try catalog.writeBlocking { writer in
            for index in first..<last { _ = try writer.create(try draft(index)) }
        }
        first = last
    }
    let store = try SQLiteStore(path: "\(directory)/sqlite.db")
    try store.load(count: records, batch: 10_000)
}

func run() throws {
    let options = try Options(CommandLine.arguments)
    if let directory = options.buildDirectory {
        try buildDatasets(in: directory, records: UInt64(options.records))
        return
    }
    let directory = try TemporaryDirectory(prefix: "bench-footprint")
    let catalogPath = directory.file("catalog")
    let key = directory.file("master.key")
    let log = directory.file("commands.log")
    let sqlitePath = directory.file("sqlite.db")

    // The datasets are built by a child process: a child's ru_maxrss starts from its parent's resident set when it
    // is spawned (Linux records the spawning process's high-water mark at exec), so the measuring process stays
    // small and builds nothing itself.
    let build = try measure(
        "build", "/proc/self/exe", ["--build", directory.path, "--records", "\(options.records)"], log: log)
    guard build.status == 0 else {
        throw Failure(
            "building the datasets failed: \(String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self))"
        )
    }
    let files = [
        "catalog_data_mdb": fileSize("\(catalogPath)/data.mdb"),
        "sqlite_db": fileSize(sqlitePath),
        "sqlite_wal": fileSize(sqlitePath + "-wal"),
    ]

    let binary = options.catalogBinary
    let global = ["--path", catalogPath, "--key-file", key, "--format", "json"]
    let importedKey = directory.file("imported.key")
    var runs: [CommandRun] = []
    runs.append(try measure("backup", binary, ["backup", directory.file("backup")] + global, log: log))
    runs.append(try measure("verify", binary, ["verify", directory.file("backup")] + global, log: log))
    runs.append(
        try measure(
            "restore", binary,
            [
                "restore", directory.file("backup"), "--path", directory.file("restored"), "--key-file", key,
                "--format", "json",
            ], log: log))
    runs.append(try measure("export", binary, ["export", directory.file("export.jsonl")] + global, log: log))
    let imported = ["--path", directory.file("imported"), "--key-file", importedKey, "--format", "json"]
    runs.append(try measure("init", binary, ["init"] + imported, log: log))
    runs.append(
        try measure(
            "import", binary, ["import", directory.file("export.jsonl"), "--source-key-file", key] + imported,
            log: log))
    var backupFiles = files
    backupFiles["backup_data_mdb"] = fileSize(directory.file("backup/data.mdb"))
    backupFiles["export_jsonl"] = fileSize(directory.file("export.jsonl"))
    backupFiles["imported_data_mdb"] = fileSize(directory.file("imported/data.mdb"))

    var own = rusage()
    getrusage(RUSAGE_SELF.rawValue, &own)
    let report: [String: Any] = [
        "records": options.records,
        // The floor of every child's figure: this process's own peak when it spawned them.
        "tool_peak_rss_kib": Int(own.ru_maxrss),
        "files": backupFiles,
        "commands": runs.map {
            ["name": $0.name, "seconds": $0.seconds, "peak_rss_kib": $0.peakKiB, "status": Int($0.status)]
                as [String: Any]
        },
    ]
    let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: options.output))
    for run in runs {
        print(
            "\(run.name): \(String(format: "%.2f", run.seconds)) s, peak RSS \(run.peakKiB / 1024) MiB, exit \(run.status)"
        )
        if run.status != 0 {
            print(String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self))
        }
    }
    print("files: \(backupFiles)")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("FootprintTool: \(error)\n".utf8))
    exit(1)
}
