import ArgumentParser
import CatalogBackup
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog check-worker` (hidden): the child process `catalog check` starts to walk the catalog with LMDB.
///
/// LMDB trusts its files, and a damaged `data.mdb` can crash it (SIGBUS on a truncated file). Walking the
/// catalog here, in a process of its own, turns such a crash into a report of the caller instead of killing it.
/// It writes one JSON object per line to standard output, each as soon as it is known (unbuffered), so that the
/// caller knows how far it came: `{"database": NAME}` before reading each database, then
/// `{"result": {…}, "problems": [[database, connection, id, message], …]}` or `{"error": {"code", "message"}}`.
struct CheckWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-worker", abstract: "Walk the catalog for `catalog check` (internal).", shouldDisplay: false)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let output = Output(format: .json)
        let master = try CatalogOpener(options: global, output: output).existingMasterKey()
        do {
            emit(["database": "meta"])
            let catalog = try Catalog.openForCheck(at: global.catalogPath, master: master)
            let progress = PhasedProgress()
            let check = try catalog.checkRecords(
                onDatabase: { emit(["database": $0]) },
                progress: { done, total in
                    progress.report(.init(phase: "checking records", unit: .records, done: done, total: total))
                })
            progress.finish()
            let counts = try catalog.recordCounts()
            emit([
                "result": [
                    "catalog_id": catalog.catalogIDHex, "schema_version": catalog.schemaVersion,
                    "connections": check.connections, "history": counts.history, "records": check.records,
                    "names": check.names, "sealed_values": check.sealedValues,
                ],
                "problems": check.problems.map { [$0.database, $0.connection ?? "", $0.id ?? "", $0.message] },
            ])
        } catch {
            emit(["error": ["code": error.code.rawValue, "message": error.message]])
            throw OperationFailed()
        }
    }
}

/// One JSON line on standard output, written at once.
private func emit(_ object: [String: Any]) {
    let data: Data
    do { data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) } catch {
        preconditionFailure("check-worker lines are built of strings, numbers and arrays: \(error)")
    }
    writeStandardOutput(String(decoding: data, as: UTF8.self) + "\n")
}
