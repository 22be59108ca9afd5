import ArgumentParser
import CatalogSQL
import CatalogSealing
import ConnectionCatalog
import Foundation

/// `catalog check`: walks the live catalog — record count, name index, every record's checksum, every sealed
/// value — in a child process, so that a damaged file that crashes LMDB is reported, not fatal.
///
/// Healthy: a summary of what was checked, exit 0. Damaged: what is damaged (database, connection names when
/// known), then `integrity_error` saying what to do, exit 1. When the child crashed or could not read the file,
/// the data file is read once more page by page without LMDB, to name the connections that cannot be read.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the catalog: every record, the name index and every secret.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(format: global.format)
        let opener = CatalogOpener(options: global, output: output)
        try opener.refuseStore(doing: "check")
        let path = global.catalogPath
        guard FileManager.default.fileExists(atPath: "\(path)/data.mdb") else {
            output.fail(
                CatalogError(.notFound, "there is no catalog at '\(path)'; check --path", details: ["path": path]))
            throw OperationFailed()
        }
        let master = try opener.existingMasterKey()
        let start = Date()
        let walk: WorkerRun
        do { walk = try WorkerRun(options: global, keySource: opener.keySource) } catch {
            output.fail(CatalogError(.ioError, "starting the checking process failed: \(error.localizedDescription)"))
            throw OperationFailed()
        }
        if let error = walk.error, !["integrity_error", "io_error"].contains(error.code) {
            // Not damage (a wrong key, a newer catalog): report it as it is.
            output.fail(CatalogError(CatalogError.Code(rawValue: error.code), error.message))
            throw OperationFailed()
        }
        if let result = walk.result, walk.problems.isEmpty {
            output.write(
                summary([
                    ("catalog", path), ("status", "ok"), ("catalog_id", result["catalog_id"] as? String ?? ""),
                    ("schema_version", "\(result["schema_version"] ?? "")"),
                    ("connections", "\(result["connections"] ?? "")"),
                    ("history_versions", "\(result["history"] ?? "")"),
                    ("records_decoded", "\(result["records"] ?? "")"),
                    ("names_index", "consistent (\(result["names"] ?? "") entries)"),
                    ("sealed_values_authenticated", "\(result["sealed_values"] ?? "")"),
                    ("seconds", seconds(since: start)),
                ]))
            return
        }
        var rows = walk.problems
        var what: String
        var details = ["path": path]
        if let signal = walk.signal {
            let name = strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
            what =
                "reading the \(walk.lastDatabase ?? "data") database crashed the checking process (\(name), signal \(signal))"
            details["signal"] = "\(signal)"
        } else if let error = walk.error {
            what = "it cannot be read: \(error.message)"
        } else {
            what = "\(rows.count) problem(s) were found"
        }
        if let database = walk.lastDatabase { details["database"] = database }
        if walk.result == nil {
            rows.insert(["data.mdb", nil, nil, what], at: 0)
            // LMDB could not walk it: read it page by page to say which connections are affected.
            do {
                let analysis = try Catalog.analyzeDamage(at: path, master: master)
                rows += analysis.lost.map { ["connections", $0.connection, $0.id, $0.reason] }
                if analysis.unidentifiedLost > 0 {
                    rows.append([
                        "connections", nil, nil,
                        "\(analysis.unidentifiedLost) more connection(s) on damaged pages, name unknown",
                    ])
                }
                rows.append([
                    "data.mdb", nil, nil,
                    "\(analysis.damagedPages) of \(analysis.pageCount) pages damaged or missing; "
                        + "\(analysis.current.count) connection(s) can be salvaged",
                ])
                details["salvageable"] = "\(analysis.current.count)"
                details["lost"] = "\(analysis.lost.count + analysis.unidentifiedLost)"
            } catch {
                rows.append(["data.mdb", nil, nil, "reading it page by page failed too: \(error.message)"])
            }
        }
        output.write(.resultSet(ResultSet(columns: ["database", "connection", "id", "problem"], rows: rows)))
        output.fail(
            CatalogError(
                .integrityError,
                "the catalog at '\(path)' is damaged: \(what); run `catalog salvage --to NEW_PATH` to copy every intact "
                    + "connection into a new catalog, or restore a verified backup (see docs/operations.md)",
                details: details))
        throw OperationFailed()
    }
}

/// One run of `catalog check-worker`: what it wrote before it ended, and how it ended.
private struct WorkerRun {
    var lastDatabase: String?
    var result: [String: Any]?
    var problems: [[String?]] = []
    var error: (code: String, message: String)?
    /// The signal that ended the child, if one did.
    var signal: Int32?

    init(options: GlobalOptions, keySource: MasterKeySource) throws {
        // This very program, whatever name it was started under.
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["check-worker", "--path", options.catalogPath]
        if case .keyFile(let file) = keySource { arguments += ["--key-file", file] }
        process.arguments = arguments
        // A crash here is expected on a damaged file and reported by the caller: no runtime backtrace on the
        // person's terminal.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { signal = process.terminationStatus }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                continue
            }
            if let database = object["database"] as? String { lastDatabase = database }
            if let result = object["result"] as? [String: Any] {
                self.result = result
                problems = (object["problems"] as? [[String]] ?? []).map { $0.map { $0.isEmpty ? nil : $0 } }
            }
            if let error = object["error"] as? [String: String] {
                self.error = (error["code"] ?? "io_error", error["message"] ?? "")
            }
        }
        if signal == nil, result == nil, error == nil {
            error = ("io_error", "the checking process ended with status \(process.terminationStatus) and no report")
        }
    }
}
