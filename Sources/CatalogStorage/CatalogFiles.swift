#if canImport(Glibc)
    internal import Glibc
#endif

/// File-system operations a restore needs around whole environments: is one open anywhere, swap two
/// directories atomically, sync a directory.
///
/// They live here because only the storage layer knows LMDB's files and how LMDB locks them.
package enum CatalogFiles {
    /// Who has the environment in `directory` open, as far as this process can tell.
    package enum Liveness: Sendable, Equatable {
        /// Nobody: no lock file, or no process holds LMDB's lock on it.
        case closed
        /// This process has it open (through the environment registry).
        case openInThisProcess
        /// Another process holds LMDB's shared lock on `lock.mdb` (`pid` is one such process), or its lock on
        /// `data.mdb` (`pid` is then -1: that lock does not say who holds it).
        case openInAnotherProcess(pid: Int32)
    }

    /// Whether the environment in `directory` is open in this or another process.
    ///
    /// Every process that opens an LMDB environment holds a shared `fcntl` read lock on byte 0 of `lock.mdb`
    /// for as long as it has it open (LMDB takes it in `mdb_env_open`). This asks with `F_GETLK` whether a
    /// write lock there would conflict, which acquires nothing. The registry is checked first: POSIX drops all
    /// of a process's locks on a file when it closes *any* descriptor of it, so this process's own descriptors
    /// are checked first (`/proc/self/fd`) and the lock file is never opened while this process has it open.
    ///
    /// The answer can be stale as soon as it is given (another process may open the environment next); callers
    /// use it to refuse an operation, not to guarantee exclusivity.
    package static func liveness(ofDirectory directory: String) throws(StorageError) -> Liveness {
        guard let resolved = realpath(directory, nil) else {
            if errno == ENOENT { return .closed }
            throw StorageError.system("realpath", path: directory)
        }
        let canonical = String(cString: resolved)
        free(resolved)
        let lockFile = "\(canonical)/lock.mdb"
        if processHasOpen(lockFile) { return .openInThisProcess }
        // A process keeps its lock on data.mdb even when someone deleted lock.mdb under it.
        let dataFileInUse = { () throws(StorageError) -> Liveness in
            try Environment.isInUseByAnotherProcess(at: canonical) ? .openInAnotherProcess(pid: -1) : .closed
        }
        let fd = open(lockFile, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return try dataFileInUse() }
            throw StorageError.system("open", path: lockFile)
        }
        defer { close(fd) }
        var query = flock()
        query.l_type = Int16(F_WRLCK)
        query.l_whence = Int16(SEEK_SET)
        query.l_start = 0
        query.l_len = 1
        guard fcntl(fd, F_GETLK, &query) == 0 else { throw StorageError.system("fcntl(F_GETLK)", path: lockFile) }
        return query.l_type == Int16(F_UNLCK) ? try dataFileInUse() : .openInAnotherProcess(pid: query.l_pid)
    }

    /// Swaps the directory entries `first` and `second` in one step: each name then refers to what the other
    /// did, and no moment exists at which either name is missing. Wraps Linux's `renameat2(RENAME_EXCHANGE)`.
    ///
    /// Both must exist on the same file system. The caller syncs the parent directory afterwards.
    ///
    /// - Throws: `StorageError` with the `errno` code; `.invalidArgument` where the file system does not
    ///   support exchanging (the message says so).
    package static func exchange(_ first: String, _ second: String) throws(StorageError) {
        guard let renameat2 = Self.renameat2 else {
            throw StorageError(
                code: .invalidArgument, operation: "renameat2",
                message: "this C library has no renameat2, so '\(second)' cannot be replaced atomically; "
                    + "move the old catalog away and restore into an empty path")
        }
        let rc = first.withCString { a in
            second.withCString { b in renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) }
        }
        guard rc == 0 else {
            var error = StorageError.system("renameat2(RENAME_EXCHANGE)", path: second)
            if error.code == .invalidArgument {
                error.message += "; the file system cannot exchange directories atomically"
            }
            throw error
        }
    }

    /// Renames `source` to `destination` (`rename(2)`); an empty directory at `destination` is replaced.
    package static func rename(_ source: String, to destination: String) throws(StorageError) {
        guard Glibc.rename(source, destination) == 0 else { throw StorageError.system("rename", path: destination) }
    }

    /// `fsync`s the directory holding `path`, so a rename into it survives a crash.
    package static func syncParent(of path: String) throws(StorageError) {
        try CatalogStorage.syncDirectory(containing: path)
    }

    /// `fsync`s the directory `path` itself.
    package static func syncDirectory(at path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError.system("open", path: path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StorageError.system("fsync", path: path) }
    }

    /// `RENAME_EXCHANGE` from `<linux/fs.h>`, which Glibc's module does not export.
    static let renameExchange: UInt32 = 1 << 1

    private typealias RenameAt2 =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32)
        -> Int32

    /// glibc's `renameat2` (2.28 and later), looked up at run time: Swift's Glibc module does not declare it,
    /// and the variadic `syscall` cannot be called from Swift.
    private static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
}

extension CatalogFiles {
    /// Whether one of this process's file descriptors refers to `path` (read from `/proc/self/fd`).
    static func processHasOpen(_ path: String) -> Bool {
        guard let directory = opendir("/proc/self/fd") else { return false }
        defer { closedir(directory) }
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            guard name != ".", name != ".." else { continue }
            let count = readlink("/proc/self/fd/\(name)", &target, target.count - 1)
            guard count > 0 else { continue }
            let linked = target.prefix(count).withUnsafeBufferPointer {
                String(decoding: UnsafeRawBufferPointer($0), as: UTF8.self)
            }
            if linked == path { return true }
        }
        return false
    }
}
