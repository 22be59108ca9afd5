// LoadTool: DESC readers and ALTER writers on one catalog, in one or several processes, then a check that no
// acknowledged ALTER was lost. See Benchmarks/README.md ("Load tool").
//
//   swift run -c release LoadTool --path DIR --connections N --readers R --seconds S [--processes P]

import ConnectionCatalog
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

let options: LoadOptions
do {
    options = try LoadOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    if let message = error.message { FileHandle.standardError.write(Data("LoadTool: \(message)\n\n".utf8)) }
    FileHandle.standardError.write(Data("\(LoadOptions.usage)\n".utf8))
    exit(error.message == nil ? 0 : 2)
}

do {
    if let index = options.child {
        exit(try runChild(options, index: index))
    }
    exit(try runParent(options))
} catch {
    FileHandle.standardError.write(Data("LoadTool\(options.child.map { " child \($0)" } ?? ""): \(error)\n".utf8))
    exit(1)
}

/// A child: the same load on the same catalog, its report written as JSON for the parent.
func runChild(_ options: LoadOptions, index: Int) throws -> Int32 {
    if let parent = options.parent { ChildProcess.exitWithParent(parent) }
    let catalog = try LoadCatalog.open(options)
    let targets = try LoadCatalog.targets(count: options.connections)
    let report = LoadRun.run(
        catalog: catalog, targets: targets, options: options, process: index,
        startAtMilliseconds: options.startAtMilliseconds!)
    try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: options.reportPath!), options: .atomic)
    return 0
}

/// The parent: prepares the catalog, starts the children, runs its own share, reports, checks.
func runParent(_ options: LoadOptions) throws -> Int32 {
    try FileManager.default.createDirectory(atPath: options.path, withIntermediateDirectories: true)
    let catalog = try LoadCatalog.open(options)
    let clock = monotonicNanoseconds()
    let created = try LoadCatalog.populate(catalog, count: options.connections)
    let targets = try LoadCatalog.targets(count: options.connections)
    print(
        "catalog \(options.path)/catalog: \(options.connections) connections"
            + (created > 0
                ? " (\(created) created in \(String(format: "%.1f", Double(monotonicNanoseconds() - clock) / 1e9)) s)"
                : " (reused)"))

    let logs = "\(options.path)/logs"
    try? FileManager.default.removeItem(atPath: logs)
    try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
    // Every process starts at the same moment, once the children have had time to open the catalog.
    let startAt = unixMilliseconds() + 1_500 + Int64(options.connections / 500)
    var children: [ChildProcess] = []
    defer { for child in children { child.kill() } }
    for index in 1..<options.processes {
        let report = "\(logs)/process-\(index).json"
        children.append(
            try ChildProcess.start(
                index: index,
                arguments: options.childArguments(index: index, report: report, startAtMilliseconds: startAt),
                reportPath: report))
    }
    var reports = [
        LoadRun.run(catalog: catalog, targets: targets, options: options, process: 0, startAtMilliseconds: startAt)
    ]
    let statuses = ChildProcess.waitAll(children, deadline: monotonicNanoseconds() + 120_000_000_000)
    var failed = false
    for (child, status) in zip(children, statuses) {
        guard status == 0 else {
            print(
                "process \(child.index) (pid \(child.process.processIdentifier)): "
                    + (status.map { "exited with status \($0)" } ?? "still running after the timeout; killed"))
            failed = true
            continue
        }
        reports.append(
            try JSONDecoder().decode(ProcessReport.self, from: Data(contentsOf: URL(fileURLWithPath: child.reportPath)))
        )
    }
    children = []

    for report in reports {
        print(LoadReport.line("process \(report.process) (pid \(report.pid))", [report]))
        if let error = report.firstError { print("  first error: \(error)") }
    }
    if reports.count > 1 { print(LoadReport.line("total (\(reports.count) processes)", reports)) }

    let checkStart = monotonicNanoseconds()
    let check = try LostUpdateCheck.run(
        catalog: catalog, targets: targets, acknowledgements: reports.flatMap(\.acknowledged))
    print(
        "check: \(check.acknowledged) acknowledged ALTERs; read \(check.connectionsRead) connections and "
            + "\(check.versionsRead) versions (current + history) in "
            + String(format: "%.1f", Double(monotonicNanoseconds() - checkStart) / 1e9) + " s")
    for line in check.broken.prefix(20) { print("  broken: \(line)") }
    for line in check.lost.prefix(50) { print("  lost: \(line)") }
    print(
        "lost: \(check.lost.count)"
            + (check.broken.isEmpty ? "" : ", connections with broken versions: \(check.broken.count)"))
    let errors = reports.reduce(0) { $0 + $1.describeErrors + $1.alterErrors }
    return check.passed && !failed && errors == 0 ? 0 : 1
}
