public import CatalogSealing
internal import CatalogStorage
public import ConnectionCatalog
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// What `Backup.restore` did.
public struct RestoreReport: Sendable {
    /// The backup's authenticated manifest.
    public var manifest: BackupManifest
    /// The catalog directory now holding the backup's content.
    public var path: String
    /// Whether an existing catalog was replaced (only with `force`).
    public var replacedExisting: Bool
    /// The schema version the backup had, when it was older and was migrated.
    public var migratedFrom: Int?
    /// Records decoded while verifying.
    public var recordsChecked: Int
}

extension Backup {
    /// Restores the backup in `backup` into the catalog directory `target`.
    ///
    /// 1. Refuses a catalog at `target` that any process has open, with or without `force`; refuses any other
    ///    existing catalog unless `force`.
    /// 2. Streams the data file through the checksum into `<target>.restoring-<pid>/data.mdb` (a `0700`
    ///    directory beside the target) and stops unless it matches: LMDB opens only authenticated bytes.
    /// 3. Decodes every record and opens every sealed value there (as `verify`), then opens it once as a catalog
    ///    so that an older schema migrates.
    /// 4. Swaps it in: `rename` when nothing is at `target`, else `renameat2(RENAME_EXCHANGE)`, which swaps the
    ///    two directories in one step; syncs the parent directory; removes the old catalog (now under the
    ///    staging name). A crash at any moment leaves `target` as the old catalog or the new one, never a mix;
    ///    a leftover `<target>.restoring-<pid>` of a dead process is removed by the next restore.
    ///
    /// The restored catalog opens with the same master key as the backup (the key file is not part of a backup).
    ///
    /// - Throws: `CatalogError` `.alreadyExists` (a catalog is there and `force` is off, or it is open in a
    ///   process), the codes of `verify` (nothing at `target` changes), `.ioError`.
    @discardableResult
    public static func restore(
        _ backup: String, to target: String, master: MasterKey, force: Bool = false, progress: ProgressHandler? = nil
    ) throws(CatalogError) -> RestoreReport {
        let target = BackupFiles.normalized(target)
        let parent = BackupFiles.parent(of: target)
        if BackupFiles.kind(of: parent) == nil {
            do {
                try FileManager.default.createDirectory(
                    atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CatalogError(.ioError, "cannot create the directory '\(parent)': \(error.localizedDescription)")
            }
        }
        try refuseTargetHoldingBackup(backup, target: target)
        removeStaleStaging(for: target)
        let existing = try inspectTarget(target, force: force)

        let staging = "\(target).restoring-\(getpid())"
        BackupFiles.removeTree(staging)
        try BackupFiles.makeDirectory(staging)
        var swapped = false
        defer { if !swapped { BackupFiles.removeTree(staging) } }
        let dataPath = "\(staging)/\(BackupManifest.dataFileName)"

        let (manifest, recordsChecked) = try copyCheckedForRestore(
            backup, to: dataPath, syncCopy: true, master: master, progress: progress)
        let migratedFrom = try migrate(staging, from: manifest.schemaVersion, master: master)
        try BackupFiles.syncDirectory(staging)

        // Check again just before the swap: a process may have opened the catalog while the backup was copied.
        let stillExisting = try inspectTarget(target, force: force)
        FailPoint.reach("restore-before-swap")
        if stillExisting {
            do { try CatalogFiles.exchange(staging, target) } catch {
                throw BackupFiles.storage(error, "swapping the restored catalog into '\(target)'")
            }
        } else {
            do { try CatalogFiles.rename(staging, to: target) } catch {
                throw BackupFiles.storage(error, "moving the restored catalog to '\(target)'")
            }
        }
        swapped = true
        try BackupFiles.syncParent(of: target)
        FailPoint.reach("restore-after-swap")
        // The staging name now holds the old catalog (or nothing).
        BackupFiles.removeTree(staging)
        try BackupFiles.syncParent(of: target)
        return RestoreReport(
            manifest: manifest, path: target, replacedExisting: existing || stillExisting, migratedFrom: migratedFrom,
            recordsChecked: recordsChecked)
    }

    /// Opens the staged catalog once, migrating an older schema; returns the version it had if it migrated.
    private static func migrate(_ directory: String, from before: Int, master: MasterKey) throws(CatalogError) -> Int? {
        StorageOpenLog.record(directory)
        let catalog = try Catalog.openForRestore(at: directory, master: master)
        return catalog.schemaVersion > before ? before : nil
    }

    /// Whether a catalog is at `target` (which may then be replaced); throws when it may not be.
    private static func inspectTarget(_ target: String, force: Bool) throws(CatalogError) -> Bool {
        guard let kind = BackupFiles.kind(of: target) else { return false }
        guard kind == S_IFDIR else {
            throw CatalogError(
                .alreadyExists, "'\(target)' exists and is not a catalog directory; restore to another path",
                details: ["path": target])
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        if entries.isEmpty { return false }
        guard entries.contains("data.mdb") else {
            throw CatalogError(
                .alreadyExists,
                "'\(target)' is a directory that holds no catalog; restore to another path or empty it first",
                details: ["path": target])
        }
        let liveness: CatalogFiles.Liveness
        do { liveness = try CatalogFiles.liveness(ofDirectory: target) } catch {
            throw BackupFiles.storage(error, "checking whether '\(target)' is in use")
        }
        switch liveness {
        case .closed:
            break
        case .openInThisProcess:
            throw CatalogError(
                .alreadyExists,
                "the catalog at '\(target)' is open in this process; close it before restoring over it",
                details: ["path": target, "reason": "in_use"])
        case .openInAnotherProcess(let pid):
            throw CatalogError(
                .alreadyExists,
                "the catalog at '\(target)' is in use by \(pid > 0 ? "process \(pid)" : "another process"); stop every "
                    + "process that has it open, then "
                    + "restore (--force never replaces a catalog in use)",
                details: ["path": target, "reason": "in_use", "pid": "\(pid)"])
        }
        guard force else {
            throw CatalogError(
                .alreadyExists,
                "a catalog already exists at '\(target)'; pass --force to replace it with the backup (it is replaced "
                    + "atomically and removed), or restore to another path",
                details: ["path": target, "reason": "exists"])
        }
        return true
    }

    /// Refuses a target that is the backup's own directory or one of the directories above it: replacing it
    /// would remove the backup being restored. Compares device and inode numbers, so symbolic links, `..`
    /// and bind paths cannot hide it.
    private static func refuseTargetHoldingBackup(_ backup: String, target: String) throws(CatalogError) {
        var targetInfo = stat()
        guard stat(target, &targetInfo) == 0 else { return }
        guard let resolved = realpath(BackupFiles.normalized(backup), nil) else { return }
        var directory = String(cString: resolved)
        free(resolved)
        var isBackupItself = true
        while true {
            var info = stat()
            if stat(directory, &info) == 0 && info.st_dev == targetInfo.st_dev && info.st_ino == targetInfo.st_ino {
                let what = isBackupItself ? "is" : "holds"
                throw CatalogError(
                    .invalidValue,
                    "the restore target '\(target)' \(what) the backup '\(backup)'; restoring there would destroy the "
                        + "backup itself — restore to another --path",
                    details: ["path": target, "reason": "target_holds_backup"])
            }
            if directory == "/" { return }
            directory = BackupFiles.parent(of: directory)
            isBackupItself = false
        }
    }

    /// Removes `<target>.restoring-<pid>` directories whose process is gone (a restore killed part-way).
    private static func removeStaleStaging(for target: String) {
        let parent = BackupFiles.parent(of: target)
        let prefix = "\(BackupFiles.baseName(of: target)).restoring-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                BackupFiles.removeTree("\(parent)/\(entry)")
            }
        }
    }
}

extension Backup {
    /// Copies the backup's data file to `dataPath`, authenticating it against its manifest, and checks every
    /// record of the copy: the first steps of a restore into LMDB and into a store alike. Returns the manifest
    /// and how many records were checked.
    ///
    /// - Throws: `CatalogError` as `verify` does; `.integrityError` (`stage` = `records`) naming the first damaged
    ///   records, with nothing restored.
    static func copyCheckedForRestore(
        _ backup: String, to dataPath: String, syncCopy: Bool, master: MasterKey, progress: ProgressHandler?
    ) throws(CatalogError) -> (manifest: BackupManifest, recordsChecked: Int) {
        let manifest = try authenticate(
            backup, master: master, copyTo: dataPath, syncCopy: false, progress: progress)
        // The copy reaches the disk while its records are checked; it is synced before this returns.
        let sync = syncCopy ? BackgroundSync(path: dataPath) : nil
        let report = try checkRecords(ofCopy: dataPath, manifest: manifest, master: master, progress: progress)
        try sync?.wait()
        guard report.isHealthy else {
            let first = report.problems.prefix(3).map(\.description).joined(separator: "; ")
            throw CatalogError(
                .integrityError,
                "the backup has \(report.problems.count) damaged record(s) (\(first)); nothing was restored — "
                    + "run `catalog verify` for the full list and use another backup",
                details: ["stage": "records", "problems": "\(report.problems.count)"])
        }
        return (manifest, report.recordsChecked)
    }
}
