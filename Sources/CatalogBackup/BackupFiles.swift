internal import CatalogSealing
internal import CatalogStorage
internal import ConnectionCatalog
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// The file operations of backups: reading a small file, streaming a data file through the checksum (and into
/// a copy), writing a file atomically, removing a directory tree.
enum BackupFiles {
    static let chunkSize = 1 << 20

    static func ioError(_ what: String, _ path: String, stage: String? = nil) -> CatalogError {
        let text = String(cString: strerror(errno))
        var details = ["errno": "\(errno)"]
        if let stage { details["stage"] = stage }
        return CatalogError(.ioError, "\(what) '\(path)' failed: \(text)", details: details)
    }

    /// What `lstat` says `path` is: `nil` when nothing is there.
    static func kind(of path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// What kind of file was found where a regular file was expected, for messages.
    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// Opens `path` for reading only if it is a regular file, without ever blocking: the open is non-blocking
    /// (a FIFO with no writer would otherwise hang it, and reading a device could never end), the kind is
    /// checked on the open descriptor with `fstat` (no race with a rename), and only then is the descriptor made
    /// blocking again for reading. Returns `nil` when nothing is at `path`.
    ///
    /// - Parameter notRegular: the error for anything but a regular file, given what it is (`a directory`, …).
    static func openRegularFile(
        _ path: String, followLinks: Bool = false, stage: String? = nil, notRegular: (String) -> CatalogError
    ) throws(CatalogError) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw notRegular(kindName(S_IFLNK)) }
            throw ioError("opening", path, stage: stage)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = ioError("stat of", path, stage: stage)
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw notRegular(kindName(info.st_mode))
        }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            let error = ioError("configuring", path, stage: stage)
            close(fd)
            throw error
        }
        return fd
    }

    /// Every byte of the open file `fd`.
    static func readAll(
        _ fd: Int32, path: String, limit: Int = Int.max, stage: String? = nil
    ) throws(CatalogError)
        -> [UInt8]
    {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError("reading", path, stage: stage)
            }
            if count == 0 { return result }
            result += buffer[0..<count]
            if result.count > limit { return result }
        }
    }

    /// The whole content of a regular file of at most `limit` bytes (symbolic links, FIFOs, devices and
    /// directories are refused before anything is read).
    static func readSmallFile(_ path: String, limit: Int) throws(CatalogError) -> [UInt8]? {
        let opened = try openRegularFile(path, stage: "manifest") { what in
            CatalogError(
                .integrityError, "'\(path)' is \(what), not a backup manifest; the backup is damaged or not a backup",
                details: ["stage": "manifest"])
        }
        guard let fd = opened else { return nil }
        defer { close(fd) }
        let bytes = try readAll(fd, path: path, limit: limit, stage: "manifest")
        guard bytes.count <= limit else {
            throw CatalogError(
                .integrityError, "'\(path)' is larger than any backup manifest; it is not a backup manifest",
                details: ["stage": "manifest"])
        }
        return bytes
    }

    /// Streams the data file through `checksum`, writing every byte to `copy` as well when given, and returns the
    /// number of bytes read. The file must be `expectedBytes` long, before and while it is read.
    static func stream(
        _ path: String, expectedBytes: Int, into checksum: BackupChecksum, copyTo copy: String?,
        syncCopy: Bool = true, progress: ProgressHandler?, phase: String
    ) throws(CatalogError) {
        let opened = try openRegularFile(path, stage: "checksum") { what in
            CatalogError(
                .integrityError, "'\(path)' is \(what), not a data file; the backup is damaged — use another backup",
                details: ["stage": "checksum"])
        }
        guard let fd = opened else {
            throw CatalogError(
                .integrityError, "the backup has no data file '\(path)'; it is incomplete — use another backup",
                details: ["stage": "checksum"])
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError("stat of", path, stage: "checksum") }
        guard Int(info.st_size) == expectedBytes else {
            let how = Int(info.st_size) < expectedBytes ? "truncated" : "longer than recorded"
            throw CatalogError(
                .integrityError,
                "the backup's data file is \(info.st_size) bytes but its manifest records \(expectedBytes): it is "
                    + "\(how) or belongs to another backup; use another backup",
                details: ["stage": "checksum", "reason": "size"])
        }
        var out: Int32 = -1
        if let copy {
            out = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard out >= 0 else { throw ioError("creating", copy, stage: "checksum") }
        }
        defer { if out >= 0 { close(out) } }
        // The next chunk is read and copied while this one is hashed.
        let pipeline = ChunkPipeline(reading: fd, path: path, copyTo: out, copyPath: copy ?? "", chunkSize: chunkSize)
        var total = 0
        try pipeline.forEachChunk { chunk in
            checksum.update(chunk)
            total += chunk.count
            progress?(
                OperationProgress(phase: phase, unit: .bytes, done: min(total, expectedBytes), total: expectedBytes))
        }
        guard total == expectedBytes else {
            throw CatalogError(
                .integrityError, "the backup's data file changed while it was read; take or use another backup",
                details: ["stage": "checksum", "reason": "size"])
        }
        if out >= 0, syncCopy, fsync(out) != 0 { throw ioError("syncing", copy!) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(CatalogError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ioError("writing", path)
            }
            offset += written
        }
    }

    /// Writes `bytes` to `path` atomically (`AtomicFile`). `path` must not exist yet.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CatalogError) {
        let file = try AtomicFile(creating: path)
        try file.write(bytes)
        try file.commit()
    }

    static func syncParent(of path: String) throws(CatalogError) {
        do { try CatalogFiles.syncParent(of: path) } catch {
            throw storage(error, "syncing the directory of '\(path)'")
        }
    }

    static func syncDirectory(_ path: String) throws(CatalogError) {
        do { try CatalogFiles.syncDirectory(at: path) } catch { throw storage(error, "syncing '\(path)'") }
    }

    static func storage(_ error: StorageError, _ what: String) -> CatalogError {
        CatalogError(.ioError, "\(what) failed: \(error.message)", underlying: error)
    }

    /// Makes a directory `0700`; it must not exist.
    static func makeDirectory(_ path: String) throws(CatalogError) {
        guard mkdir(path, 0o700) == 0 else { throw ioError("creating the directory", path) }
    }

    /// Removes `path` and everything under it; a missing path is fine.
    static func removeTree(_ path: String) {
        guard kind(of: path) != nil else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path` without trailing slashes.
    static func normalized(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// The directory holding `path`.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    static func baseName(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
