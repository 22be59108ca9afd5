#if canImport(Glibc)
    internal import Glibc
#endif

/// Locks that keep processes apart without trusting `lock.mdb`, which anyone can delete: open-file-description
/// (OFD) locks on bytes of the data file itself.
///
/// - Byte 0, shared, for the handle's life: "this process has the environment open". Anyone can ask whether
///   another process holds it (`isInUseByAnotherProcess`), and an open that finds it held while nobody holds
///   LMDB's lock on the current `lock.mdb` knows the lock file was replaced under a live process.
/// - Byte 1, exclusive, for the length of each write transaction: one writer at a time across processes even
///   when two processes use different `lock.mdb` files.
///
/// Before each write the lock file at the path is compared (device and inode) with the one LMDB opened: if it
/// was deleted or replaced, LMDB's reader table and writer mutex are no longer shared with newer processes, so
/// the write is refused with `.lockFileReplaced`.
///
/// OFD locks (Linux 3.15+) belong to an open file description, not a process: closing another descriptor of the
/// file drops nothing, and a second descriptor in the same process conflicts like another process. POSIX
/// `fcntl` locks would be dropped whenever this process closed any descriptor of `data.mdb`.
final class ProcessLock: Sendable {
    let dataFile: String
    let lockFile: String
    /// This handle's own descriptor of the data file, holding its OFD locks.
    private let dataDescriptor: Int32
    /// A descriptor of the lock file LMDB opened, kept until after `mdb_env_close`: closing any descriptor of
    /// `lock.mdb` would drop LMDB's POSIX lock on it.
    private let lockFileDescriptor: Int32
    private let lockFileIdentity: FileIdentity

    /// The byte whose shared lock marks the environment open in a process.
    static let openByte: Int = 0
    /// The byte whose exclusive lock is held by the process writing.
    static let writerByte: Int = 1

    /// Takes the open lock; call right after `mdb_env_open`, which has created both files.
    ///
    /// - Throws: `StorageError` `.lockFileReplaced` when another process has the data file open but not the
    ///   current lock file; an `errno` code if the files cannot be opened or locked.
    init(dataFile: String, lockFile: String, writable: Bool) throws(StorageError) {
        self.dataFile = dataFile
        self.lockFile = lockFile
        let data = Glibc.open(dataFile, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK)
        guard data >= 0 else { throw StorageError.system("open", path: dataFile) }
        let lock = Glibc.open(lockFile, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard lock >= 0 else {
            let error = StorageError.system("open", path: lockFile)
            close(data)
            throw error
        }
        var info = stat()
        guard fstat(lock, &info) == 0 else {
            let error = StorageError.system("fstat", path: lockFile)
            close(data)
            close(lock)
            throw error
        }
        dataDescriptor = data
        lockFileDescriptor = lock
        lockFileIdentity = FileIdentity(info)
        do throws(StorageError) {
            try Self.setLock(data, type: F_RDLCK, byte: Self.openByte, wait: false, path: dataFile)
            // A process with the data file open holds LMDB's lock on the lock file it opened; if none holds it on
            // this one, that process's lock file was deleted and this one is new: the two would not see each
            // other's readers or writer.
            if try Self.lockFileLooksReplaced(data: data, lock: lock, dataFile: dataFile, lockFile: lockFile) {
                throw StorageError(
                    code: .lockFileReplaced, operation: "open",
                    message: "another process has '\(dataFile)' open, but the lock file '\(lockFile)' was deleted or "
                        + "replaced after it opened it, so the two could not see each other's readers and writer; "
                        + "close every process that uses this catalog, then open it again")
            }
        } catch {
            close(data)
            close(lock)
            throw error
        }
    }

    /// Whether the open lock is held by a description that holds no LMDB lock on the current lock file, for
    /// longer than a moment.
    ///
    /// A moment's sighting is not enough: while any thread of a process that had the catalog open spawns a
    /// child, the child shares that process's descriptions until it runs `exec` (which closes them, being
    /// close-on-exec) but not its POSIX locks, so the open lock of a handle already closed can stay visible
    /// for that long. A lock file really replaced under a live process stays so; this asks again for up to
    /// two seconds before saying so.
    private static func lockFileLooksReplaced(
        data: Int32, lock: Int32, dataFile: String, lockFile: String
    ) throws(StorageError) -> Bool {
        for _ in 0..<200 {
            guard try isLockedByAnother(data, byte: openByte, path: dataFile),
                try !lmdbLockIsHeldByAnotherProcess(lock, path: lockFile)
            else { return false }
            usleep(10_000)
        }
        return true
    }

    /// Drops the open lock; call before `mdb_env_close`, so that no process holds it without LMDB's lock.
    func releaseDataFile() { close(dataDescriptor) }

    /// Closes the kept lock-file descriptor; call after `mdb_env_close`.
    func releaseLockFile() { close(lockFileDescriptor) }

    /// Waits for the cross-process writer lock, then checks the lock file is still the one LMDB opened.
    ///
    /// - Throws: `StorageError` `.lockFileReplaced` (the writer lock is released again), or an `errno` code.
    func lockWriter() throws(StorageError) {
        try Self.setLock(dataDescriptor, type: F_WRLCK, byte: Self.writerByte, wait: true, path: dataFile)
        var info = stat()
        let present = stat(lockFile, &info) == 0
        guard present, FileIdentity(info) == lockFileIdentity else {
            unlockWriter()
            throw StorageError(
                code: .lockFileReplaced, operation: "stat",
                message: "the lock file '\(lockFile)' was \(present ? "replaced" : "deleted") while this process had "
                    + "the catalog open, so LMDB no longer keeps its writers and readers apart from other processes; "
                    + "nothing was written: close every process that uses this catalog, then open it again")
        }
    }

    /// Releases the cross-process writer lock.
    func unlockWriter() {
        // Unlocking a range this description holds cannot fail but for a bad descriptor, which would be a bug.
        do {
            try Self.setLock(dataDescriptor, type: F_UNLCK, byte: Self.writerByte, wait: false, path: dataFile)
        } catch {
            preconditionFailure("releasing the writer lock on '\(dataFile)' failed: \(error)")
        }
    }

    /// Whether another process (another open file description) holds the open lock.
    func isHeldByAnotherProcess() throws(StorageError) -> Bool {
        try Self.isLockedByAnother(dataDescriptor, byte: Self.openByte, path: dataFile)
    }

    /// Whether any process holds the open lock of `dataFile`, asked through a descriptor opened for the question.
    ///
    /// Safe to ask while this process has the file open: OFD locks survive the close of other descriptors.
    static func isHeld(dataFile: String) throws(StorageError) -> Bool {
        guard try EnvironmentDirectory.regularFileExists(dataFile) else { return false }
        let fd = Glibc.open(dataFile, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT { return false }
            throw StorageError.system("open", path: dataFile)
        }
        defer { close(fd) }
        return try isLockedByAnother(fd, byte: openByte, path: dataFile)
    }

    // MARK: - fcntl

    /// `F_OFD_GETLK`, `F_OFD_SETLK`, `F_OFD_SETLKW` from `<bits/fcntl-linux.h>` (the same on every Linux
    /// architecture), which Swift's Glibc module leaves out because they need `_GNU_SOURCE`.
    /// `ProcessLockTests` pins their meaning: two descriptors in one process conflict.
    static let getLock: Int32 = 36
    static let setLock: Int32 = 37
    static let setLockWaiting: Int32 = 38

    private static func range(type: Int32, byte: Int) -> flock {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(byte)
        lock.l_len = 1
        lock.l_pid = 0
        return lock
    }

    /// Sets an OFD lock of `type` on `byte`, waiting for it when `wait`. Wraps `fcntl(F_OFD_SETLK[W])`.
    private static func setLock(_ fd: Int32, type: Int32, byte: Int, wait: Bool, path: String) throws(StorageError) {
        var lock = range(type: type, byte: byte)
        while fcntl(fd, wait ? setLockWaiting : setLock, &lock) != 0 {
            if errno == EINTR { continue }
            throw StorageError.system(wait ? "fcntl(F_OFD_SETLKW)" : "fcntl(F_OFD_SETLK)", path: path)
        }
    }

    /// Whether an exclusive OFD lock on `byte` would conflict with a lock of another description.
    private static func isLockedByAnother(_ fd: Int32, byte: Int, path: String) throws(StorageError) -> Bool {
        var query = range(type: F_WRLCK, byte: byte)
        guard fcntl(fd, getLock, &query) == 0 else { throw StorageError.system("fcntl(F_OFD_GETLK)", path: path) }
        return query.l_type != Int16(F_UNLCK)
    }

    /// Whether another process holds LMDB's POSIX lock on byte 0 of the lock file (LMDB's own locks of this
    /// process never conflict with a question this process asks). Wraps `fcntl(F_GETLK)`.
    private static func lmdbLockIsHeldByAnotherProcess(_ fd: Int32, path: String) throws(StorageError) -> Bool {
        var query = range(type: F_WRLCK, byte: 0)
        guard fcntl(fd, F_GETLK, &query) == 0 else { throw StorageError.system("fcntl(F_GETLK)", path: path) }
        return query.l_type != Int16(F_UNLCK)
    }
}

/// A file's device and inode: which file a path named when it was looked at.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
