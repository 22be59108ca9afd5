public import CatalogSealing
public import ConnectionCatalog
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// What `Backup.verify` found.
public struct VerificationReport: Sendable {
    /// One thing wrong in a backup that passed its checksum (a record that does not decode, a secret that does
    /// not open, a manifest figure that does not match the data).
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// `connections`, `history`, `names` or `manifest`.
        public var database: String
        /// `workspace.name`, when known.
        public var connection: String?
        /// The connection id (32 hex digits), when known.
        public var id: String?
        /// What is wrong; never a secret value.
        public var message: String

        public var description: String {
            let subject = connection.map { "connection '\($0)'" } ?? id.map { "record \($0)" } ?? "the backup"
            return "\(database): \(subject): \(message)"
        }
    }

    /// The backup's authenticated manifest.
    public var manifest: BackupManifest
    /// Records decoded (current and history).
    public var recordsChecked: Int
    /// Everything wrong; empty for a good backup.
    public var problems: [Problem]

    /// Whether the backup is good: checksum, every record and every sealed value.
    public var isHealthy: Bool { problems.isEmpty }
}

extension Backup {
    /// Verifies the backup in directory `backup` with `master`, the master key of the catalog it was taken from.
    ///
    /// 1. The manifest is parsed and the data file is streamed through the keyed checksum, into a private copy
    ///    in `scratchDirectory` (default `$TMPDIR`, else `/tmp`; removed afterwards, not synced),
    ///    **before LMDB opens anything**: a damaged,
    ///    truncated or forged file fails here (`details["stage"]` is `manifest` or `checksum`).
    /// 2. LMDB then opens only that authenticated copy, read-only, without a lock file; every record of
    ///    `connections` and `history` is decoded and every sealed value opened with the backup's keyring.
    ///
    /// - Returns: the report; `problems` lists damaged records by connection name.
    /// - Throws: `CatalogError` for a backup that fails step 1 (`.integrityError`, `.wrongKey`, `.notFound`,
    ///   `.catalogTooNew`) or cannot be read (`.ioError`).
    public static func verify(
        _ backup: String, master: MasterKey, scratchDirectory: String? = nil, progress: ProgressHandler? = nil
    ) throws(CatalogError) -> VerificationReport {
        let scratch = try makeScratchDirectory(in: scratchDirectory)
        defer { BackupFiles.removeTree(scratch) }
        let copy = "\(scratch)/\(BackupManifest.dataFileName)"
        let manifest = try authenticate(backup, master: master, copyTo: copy, syncCopy: false, progress: progress)
        return try checkRecords(ofCopy: copy, manifest: manifest, master: master, progress: progress)
    }

    /// Opens an authenticated single-file copy read-only and checks it against its manifest, record by record.
    static func checkRecords(
        ofCopy copy: String, manifest: BackupManifest, master: MasterKey, progress: ProgressHandler?
    ) throws(CatalogError) -> VerificationReport {
        StorageOpenLog.record(copy)
        var problems: [VerificationReport.Problem] = []
        let catalog: Catalog
        do {
            catalog = try Catalog.openSnapshotFile(at: copy, master: master)
        } catch {
            var error = error
            error.details["stage"] = "open"
            throw error
        }
        func mismatch(_ what: String) {
            problems.append(.init(database: "manifest", connection: nil, id: nil, message: what))
        }
        if catalog.catalogIDHex != manifest.catalogID { mismatch("the manifest names another catalog id") }
        if catalog.schemaVersion != manifest.schemaVersion { mismatch("the manifest records another schema version") }
        let counts = try catalog.recordCounts()
        let recorded = manifest.records
        if counts.connections != recorded.connections || counts.names != recorded.names
            || counts.history != recorded.history || counts.meta != recorded.meta
        {
            mismatch(
                "the manifest records \(recorded.connections) connections and \(recorded.history) history versions, "
                    + "the data holds \(counts.connections) and \(counts.history)")
        }
        let fingerprints = catalog.keyFingerprints().map {
            BackupManifest.DataKey(id: $0.keyID, fingerprint: $0.fingerprint)
        }
        if fingerprints != manifest.dataKeys {
            mismatch("the manifest's data-key fingerprints do not match the keyring")
        }
        let total = counts.connections + counts.history
        let found = try catalog.verifyRecords { done, all in
            progress?(OperationProgress(phase: "checking records", unit: .records, done: done, total: all))
        }
        problems += found.map {
            VerificationReport.Problem(database: $0.database, connection: $0.connection, id: $0.id, message: $0.message)
        }
        return VerificationReport(manifest: manifest, recordsChecked: total, problems: problems)
    }

    /// The prefix of verify's scratch directories: `catalog-verify-<pid>-<random>`, so a later run can tell
    /// whose they are.
    static let scratchPrefix = "catalog-verify-"

    /// Makes a private scratch directory (`mkdtemp`, `0700`) named `catalog-verify-<pid>-XXXXXX` in `directory`
    /// (default `$TMPDIR`, else `/tmp`), first removing the scratch directories of earlier runs whose process is
    /// gone (a verify killed part-way leaves a whole copy of a backup there).
    static func makeScratchDirectory(in directory: String?) throws(CatalogError) -> String {
        let base =
            directory ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        removeStaleScratchDirectories(in: BackupFiles.normalized(base))
        var template = Array("\(BackupFiles.normalized(base))/\(scratchPrefix)\(getpid())-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BackupFiles.ioError("creating a scratch directory in", base)
        }
        return String(cString: made)
    }

    /// Removes `catalog-verify-<pid>-*` directories in `base` that this user owns and whose process no longer
    /// exists. A live process's directory (or another user's) is left alone; what cannot be listed is skipped,
    /// since cleaning up is a courtesy, not part of verifying.
    static func removeStaleScratchDirectories(in base: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for entry in entries where entry.hasPrefix(scratchPrefix) {
            let rest = entry.dropFirst(scratchPrefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0, pid != getpid() else {
                continue
            }
            let path = "\(base)/\(entry)"
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { BackupFiles.removeTree(path) }
        }
    }
}
