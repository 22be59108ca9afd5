public import CatalogSealing
public import CatalogStorage
public import ConnectionCatalog

extension Backup {
    /// Restores the backup in `backup` into the catalog kept in `store` (etcd), replacing what it holds at once.
    ///
    /// 1. The data file is streamed through the checksum into a private scratch directory, and LMDB opens only
    ///    those authenticated bytes; every record is decoded and every sealed value opened (as `verify`); an
    ///    older schema is migrated there.
    /// 2. Every entry is written into a new generation of the store, in bounded commits, and one commit switches
    ///    the catalog to it (`Catalog.restore(_:into:description:force:)`): readers see the old catalog or the
    ///    restored one, never a mix; killed at any point before the switch, the store still holds the old
    ///    catalog, and the next restore or import removes what this one wrote.
    ///
    /// Unlike a directory, a store cannot tell whether a service has the catalog open: stop writers first, or
    /// know that a write committed against the old catalog after the switch starts again on the restored one.
    ///
    /// - Throws: `CatalogError` `.alreadyExists` (the store holds a catalog and `force` is off), the codes of
    ///   `verify` (nothing in the store changes), `.conflict` (without `force`, a client wrote meanwhile),
    ///   `.ioError`.
    @discardableResult
    public static func restore(
        _ backup: String, into store: some TransactionalStore, description: String, master: MasterKey,
        force: Bool = false, progress: ProgressHandler? = nil
    ) throws(CatalogError) -> RestoreReport {
        let scratch = try makeScratchDirectory(in: nil)
        defer { BackupFiles.removeTree(scratch) }
        let dataPath = "\(scratch)/\(BackupManifest.dataFileName)"
        let (manifest, recordsChecked) = try copyCheckedForRestore(
            backup, to: dataPath, syncCopy: false, master: master, progress: progress)
        StorageOpenLog.record(scratch)
        let source = try Catalog.openForRestore(at: scratch, master: master)
        let replaced = try Catalog.restore(source, into: store, description: description, force: force) { done, total in
            progress?(
                OperationProgress(phase: "writing the restored catalog", unit: .records, done: done, total: total))
        }
        return RestoreReport(
            manifest: manifest, path: description, replacedExisting: replaced,
            migratedFrom: source.schemaVersion > manifest.schemaVersion ? manifest.schemaVersion : nil,
            recordsChecked: recordsChecked)
    }
}
