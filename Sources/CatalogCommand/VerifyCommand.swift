import ArgumentParser
import CatalogBackup
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog verify BACKUP`: checksum first (before LMDB opens anything), then every record and sealed value.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a backup: its checksum, every record and every secret.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The backup directory.")
    var backup: String

    func run() throws {
        let output = Output(format: global.format)
        let master = try CatalogOpener(options: global, output: output).existingMasterKey(allowingStore: true)
        let progress = PhasedProgress()
        let start = Date()
        let report: VerificationReport
        do {
            report = try Backup.verify(backup, master: master, progress: progress.report)
            progress.finish()
        } catch {
            progress.finish()
            output.fail(error)
            throw OperationFailed()
        }
        guard report.isHealthy else {
            output.write(
                .resultSet(
                    ResultSet(
                        columns: ["database", "connection", "id", "problem"],
                        rows: report.problems.map { [$0.database, $0.connection, $0.id, $0.message] })))
            output.fail(
                CatalogError(
                    .integrityError,
                    "the backup '\(backup)' has \(report.problems.count) problem(s) (listed above); use another backup")
            )
            throw OperationFailed()
        }
        output.write(
            summary([
                ("backup", backup), ("status", "ok"), ("catalog_id", report.manifest.catalogID),
                ("schema_version", "\(report.manifest.schemaVersion)"), ("records_checked", "\(report.recordsChecked)"),
                ("seconds", seconds(since: start)),
            ]))
    }
}
