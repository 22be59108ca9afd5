internal import ConnectionCatalog
internal import Dispatch

#if canImport(Glibc)
    internal import Glibc
#endif

/// An `fsync` of a file run on a thread of its own, so that a restore checks the records of its staged copy while
/// the kernel writes that copy to disk; `wait` returns once the file is on disk (or throws why it is not).
final class BackgroundSync: @unchecked Sendable {
    // Safe because: `failure` is written by the syncing thread before it signals `done`, and read only after
    // `wait` has seen that signal.
    private let path: String
    private let done = DispatchSemaphore(value: 0)
    private var failure: CatalogError?
    private var waited = false

    /// Starts syncing the file at `path`.
    init(path: String) {
        self.path = path
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            defer { done.signal() }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                failure = BackupFiles.ioError("opening", path)
                return
            }
            if fsync(fd) != 0 { failure = BackupFiles.ioError("syncing", path) }
            close(fd)
        }
    }

    /// Waits until the file is synced.
    ///
    /// - Throws: `CatalogError` `.ioError` if it could not be opened or synced.
    func wait() throws(CatalogError) {
        if !waited {
            done.wait()
            waited = true
        }
        if let failure { throw failure }
    }

    deinit {
        // Never leave the thread running past the staging directory it syncs (which the caller may remove).
        if !waited { done.wait() }
    }
}
