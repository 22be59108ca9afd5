import ArgumentParser
import CatalogSQL
import CatalogSealing
import ConnectionCatalog
import Foundation

/// `catalog salvage --to NEW_PATH`: copies every intact connection of a damaged catalog into a new catalog.
///
/// The damaged `data.mdb` is read page by page without LMDB (which a damaged file can crash); every record that
/// decodes under its checksum and whose secrets open with the master key goes into a new catalog with the same
/// catalog id and keyring, so the same key opens it and every external ID stays as it was. What could not be
/// saved is listed by connection name.
struct SalvageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salvage", abstract: "Copy every intact connection of a damaged catalog into a new catalog.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("to"), help: "The new catalog directory (must not exist, or be empty).")
    var destination: String

    func run() throws {
        let output = Output(format: global.format)
        let opener = CatalogOpener(options: global, output: output)
        try opener.refuseStore(doing: "salvage")
        let source = global.catalogPath
        guard FileManager.default.fileExists(atPath: "\(source)/data.mdb") else {
            output.fail(
                CatalogError(.notFound, "there is no catalog at '\(source)'; check --path", details: ["path": source]))
            throw OperationFailed()
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory) {
            var isEmpty = false
            if isDirectory.boolValue {
                do { isEmpty = try FileManager.default.contentsOfDirectory(atPath: destination).isEmpty } catch {
                    output.fail(CatalogError(.ioError, "cannot list '\(destination)': \(error.localizedDescription)"))
                    throw OperationFailed()
                }
            }
            if !isEmpty {
                output.fail(
                    CatalogError(
                        .alreadyExists,
                        "'\(destination)' exists and is not an empty directory; salvage into a new path",
                        details: ["path": destination]))
                throw OperationFailed()
            }
        }
        let master = try opener.existingMasterKey()
        let start = Date()
        let result: SalvageResult
        do { result = try Catalog.salvage(from: source, to: destination, master: master) } catch {
            output.fail(error)
            throw OperationFailed()
        }
        let analysis = result.analysis
        let lost = analysis.lost.count + analysis.unidentifiedLost
        var notices = [String]()
        if case .keyFile(let file) = opener.keySource {
            notices.append(
                "open the salvaged catalog with the same master key: --path \(result.path) --key-file \(file)")
        }
        if lost > 0 { notices.append("\(lost) connection(s) could not be saved; they are listed below") }
        output.write(
            .resultSet(
                ResultSet(
                    columns: ["item", "value"],
                    rows: [
                        ["salvaged_to", result.path], ["catalog_id", Hex.encode(analysis.catalogID)],
                        ["connections_saved", "\(analysis.current.count)"],
                        ["history_versions_saved", "\(analysis.history.count)"], ["connections_lost", "\(lost)"],
                        ["damaged_pages", "\(analysis.damagedPages) of \(analysis.pageCount)"],
                        ["problems_in_copy", "\(result.problemsInCopy.count)"], ["seconds", seconds(since: start)],
                    ], notices: notices)))
        if lost > 0 {
            var rows = analysis.lost.map { [$0.connection, $0.id, $0.reason] }
            if analysis.unidentifiedLost > 0 {
                rows.append([
                    nil, nil, "\(analysis.unidentifiedLost) more connection(s) on damaged pages, name unknown",
                ])
            }
            output.write(.resultSet(ResultSet(columns: ["connection", "id", "problem"], rows: rows)))
        }
    }
}
