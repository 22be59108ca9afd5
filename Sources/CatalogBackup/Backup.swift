internal import CatalogSealing
public import ConnectionCatalog
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// Online backups of a catalog: take one, verify one, restore one (DESIGN §7, docs/backup.md).
///
/// A backup is a directory holding `data.mdb`, a compacted single-file LMDB copy taken from one snapshot, and
/// `manifest.json`, which describes it and carries a keyed BLAKE2b checksum over its own bytes and the data
/// file. The checksum key derives from the master key, so only a holder of that key can make a backup that
/// verifies, and a file from outside is authenticated before LMDB ever opens it.
public enum Backup: Sendable {
    /// Takes a backup of `catalog` into the new directory `destination`, while writers (threads or processes)
    /// go on: the copy is one LMDB snapshot, the manifest describes that snapshot. A catalog kept in a store
    /// (etcd) is read at one revision into the same format (`Catalog.copyStoreSnapshot`), so its backup
    /// verifies, and restores into LMDB or into a store, like any other.
    ///
    /// The backup is assembled in a `0700` directory `<destination>.partial-<pid>-<random>` (data file and
    /// manifest each written `0600`, synced and renamed into place), which is then synced and renamed to
    /// `destination`, and the parent directory synced: `destination` holds a whole backup or nothing.
    ///
    /// - Throws: `CatalogError` `.alreadyExists` if `destination` exists, `.ioError` if a file operation fails,
    ///   `.wrongKey` if another process re-keyed the catalog since `catalog` was opened.
    @discardableResult
    public static func create(
        from catalog: Catalog, at destination: String, progress: ProgressHandler? = nil
    ) throws(CatalogError) -> BackupManifest {
        let destination = BackupFiles.normalized(destination)
        guard BackupFiles.kind(of: destination) == nil else {
            throw CatalogError(
                .alreadyExists,
                "'\(destination)' already exists; backups are never written over, so name a new directory",
                details: ["path": destination])
        }
        let parent = BackupFiles.parent(of: destination)
        guard BackupFiles.kind(of: parent) == S_IFDIR else {
            throw CatalogError(
                .ioError, "the directory '\(parent)' does not exist; create it first", details: ["path": parent])
        }
        let staging = "\(destination).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try BackupFiles.makeDirectory(staging)
        var finished = false
        defer { if !finished { BackupFiles.removeTree(staging) } }

        let dataPath = "\(staging)/\(BackupManifest.dataFileName)"
        progress?(OperationProgress(phase: "copying the catalog", unit: .bytes, done: 0, total: 0))
        var copy: (compacted: Bool, bytes: Int) = (false, 0)
        if catalog.isOnStore {
            // One snapshot of the store, written into an LMDB environment of the backup's own staging directory.
            let building = "\(staging)/building"
            copy = try catalog.copyStoreSnapshot(to: dataPath, scratchDirectory: building) { records in
                progress?(OperationProgress(phase: "reading the catalog", unit: .records, done: records, total: 0))
            }
            BackupFiles.removeTree(building)
        }
        let master = catalog.masterKey
        let key = ChecksumKey(master: master)
        let createdAt = nowMilliseconds()
        // On LMDB the data is checksummed while the copy is written: the tree checksum takes the manifest, which
        // is read from the copy below, only at the end.
        var observed: BackupChecksum?
        if !catalog.isOnStore {
            do {
                let checksum = BackupChecksum.writing(key: key)
                copy = try catalog.copyStorage(to: dataPath) { checksum.update($0) }
                observed = checksum
            } catch {
                BackupFiles.removeTree(dataPath)
                copy = try catalog.copyStorage(to: dataPath)
            }
        }
        progress?(OperationProgress(phase: "copying the catalog", unit: .bytes, done: copy.bytes, total: copy.bytes))
        var manifest = try describeCopy(
            at: dataPath, master: master, bytes: copy.bytes, compacted: copy.compacted, createdAt: createdAt)
        manifest.keyCheck = BackupManifest.keyCheck(for: key)
        let checksum: BackupChecksum
        if let observed {
            checksum = observed
        } else {
            // A store's snapshot, or a copy that could not be observed: checksum the file written.
            checksum = BackupChecksum.writing(key: key)
            try BackupFiles.stream(
                dataPath, expectedBytes: copy.bytes, into: checksum, copyTo: nil, progress: progress,
                phase: "checksumming the copy")
        }
        manifest.checksum = StreamingChecksum.hex(checksum.finalize(body: manifest.body))
        try BackupFiles.writeAtomically(manifest.bytes, to: "\(staging)/\(BackupManifest.fileName)")
        try BackupFiles.syncDirectory(staging)
        guard rename(staging, destination) == 0 else {
            throw BackupFiles.ioError("renaming the backup to", destination)
        }
        finished = true
        try BackupFiles.syncParent(of: destination)
        return manifest
    }

    /// Reads identity, counts and key fingerprints from the copy just written (this process wrote it, so LMDB
    /// may open it): they describe exactly the snapshot the copy holds.
    private static func describeCopy(
        at path: String, master: MasterKey, bytes: Int, compacted: Bool, createdAt: Int64
    )
        throws(CatalogError) -> BackupManifest
    {
        StorageOpenLog.record(path)
        let copy = try Catalog.openSnapshotFile(at: path, master: master)
        let counts = try copy.recordCounts()
        return BackupManifest(
            storageFormat: 1, schemaVersion: copy.schemaVersion, catalogID: copy.catalogIDHex,
            createdAt: createdAt, dataBytes: bytes, compacted: compacted,
            records: BackupManifest.Records(
                meta: counts.meta, connections: counts.connections, names: counts.names, history: counts.history),
            dataKeys: copy.keyFingerprints().map { BackupManifest.DataKey(id: $0.keyID, fingerprint: $0.fingerprint) },
            keyCheck: "", checksum: "")
    }

    /// Checks the backup's manifest and streams its data file through the checksum into `copyPath`, before
    /// anything opens the data with LMDB. Returns the authenticated manifest; `copyPath` then holds exactly
    /// the bytes that were authenticated.
    ///
    /// - Throws: `CatalogError` with `details["stage"]` `manifest` or `checksum`: `.notFound` (no such path),
    ///   `.integrityError` (not a backup, truncated, altered, forged), `.wrongKey` (made under another master
    ///   key), `.catalogTooNew` (a newer manifest format), `.ioError`.
    static func authenticate(
        _ backup: String, master: MasterKey, copyTo copyPath: String, syncCopy: Bool, progress: ProgressHandler?
    ) throws(CatalogError) -> BackupManifest {
        let backup = BackupFiles.normalized(backup)
        guard let kind = BackupFiles.kind(of: backup) else {
            throw CatalogError(
                .notFound, "there is no backup at '\(backup)'; check the path", details: ["stage": "manifest"])
        }
        guard kind == S_IFDIR else {
            throw CatalogError(
                .integrityError,
                "'\(backup)' is not a backup: a backup is a directory holding \(BackupManifest.fileName) and "
                    + "\(BackupManifest.dataFileName), as `catalog backup` writes it", details: ["stage": "manifest"])
        }
        let manifestPath = "\(backup)/\(BackupManifest.fileName)"
        guard let manifestBytes = try BackupFiles.readSmallFile(manifestPath, limit: 1 << 20) else {
            let looksLikeCatalog = BackupFiles.kind(of: "\(backup)/lock.mdb") != nil
            throw CatalogError(
                .integrityError,
                "'\(backup)' is not a backup: it has no \(BackupManifest.fileName)"
                    + (looksLikeCatalog
                        ? " (it looks like a catalog directory; back it up with `catalog backup`)" : ""),
                details: ["stage": "manifest"])
        }
        let (manifest, body) = try BackupManifest.parse(manifestBytes, path: manifestPath)
        let key = ChecksumKey(master: master)
        let checksum = BackupChecksum.checking(
            version: manifest.manifestVersion, body: body, dataBytes: manifest.dataBytes, key: key)
        try BackupFiles.stream(
            "\(backup)/\(BackupManifest.dataFileName)", expectedBytes: manifest.dataBytes, into: checksum,
            copyTo: copyPath, syncCopy: syncCopy, progress: progress, phase: "checking the data file")
        let computed = checksum.finalize(body: body)
        guard StreamingChecksum.matches(computed, Array(manifest.checksum.utf8).hexDecoded()) else {
            let expectedCheck = Array(BackupManifest.keyCheck(for: key).utf8)
            if !StreamingChecksum.matches(expectedCheck.hexDecoded(), Array(manifest.keyCheck.utf8).hexDecoded()) {
                throw CatalogError(
                    .wrongKey,
                    "the backup does not verify under this master key, and its key check says it was made with "
                        + "another one: supply the master key of the catalog it was taken from (with the right key, "
                        + "this backup's manifest is damaged)", details: ["stage": "checksum"])
            }
            throw CatalogError(
                .integrityError,
                "the backup's checksum does not match: its data file or manifest was altered, damaged, or comes "
                    + "from another backup; use another backup", details: ["stage": "checksum", "reason": "checksum"])
        }
        return manifest
    }
}

extension Array where Element == UInt8 {
    /// Bytes of lower-case hex text; malformed text gives bytes that match nothing (never a trap).
    func hexDecoded() -> [UInt8] {
        guard count % 2 == 0, isLowerHex(self) else { return [] }
        func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
        return stride(from: 0, to: count, by: 2).map { nibble(self[$0]) << 4 | nibble(self[$0 + 1]) }
    }
}
