internal import ConnectionCatalog

#if canImport(Glibc)
    internal import Glibc
#endif

/// A new file written under a temporary name beside its path (`0600`) and renamed into place only once
/// complete and synced, so that the path never holds part of it; dropped before `commit`, the temporary file
/// is removed. Backup manifests and exports are written this way.
final class AtomicFile {
    let path: String
    private let temporary: String
    private var fd: Int32
    private var committed = false

    /// Creates the temporary file for `path`, which must not exist yet.
    init(creating path: String) throws(CatalogError) {
        self.path = path
        temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BackupFiles.ioError("creating", temporary) }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(temporary) }
    }

    /// Appends all of `bytes`.
    func write(_ bytes: [UInt8]) throws(CatalogError) {
        let failure = bytes.withUnsafeBytes { raw -> CatalogError? in
            do throws(CatalogError) { try BackupFiles.writeAll(fd, raw, path: temporary) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Syncs the file, renames it to `path` and syncs the directory, so that a crash leaves it whole or absent.
    func commit() throws(CatalogError) {
        guard fsync(fd) == 0 else { throw BackupFiles.ioError("syncing", temporary) }
        let closed = close(fd) == 0
        fd = -1
        guard closed else { throw BackupFiles.ioError("closing", temporary) }
        guard rename(temporary, path) == 0 else { throw BackupFiles.ioError("renaming into", path) }
        committed = true
        try BackupFiles.syncParent(of: path)
    }
}
