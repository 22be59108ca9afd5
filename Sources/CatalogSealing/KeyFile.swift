internal import Logging

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The master key file: one line holding the standard base64 (with padding) of the 32-byte key,
/// followed by a newline. Mode `0600`, owned by the user that runs the catalog.
enum KeyFile {
    /// Files larger than this cannot be key files; refusing them keeps a mistaken path from being read whole.
    static let maximumSize = 1024

    static func loadOrCreate(at path: String, logger: Logger?) throws(SealingError) -> MasterKey {
        if let key = try load(at: path, logger: logger) { return key }
        return try create(at: path, logger: logger)
    }

    /// Reads an existing key file; `nil` if there is none.
    ///
    /// Opened `O_NONBLOCK` and checked with `fstat` before any read, so a FIFO or device at the path is refused
    /// at once instead of hanging the program (opening a FIFO for reading waits for a writer).
    static func load(at path: String, logger: Logger?) throws(SealingError) -> MasterKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP {
                throw .invalid(
                    .insecureKeyFile,
                    "key file \(path) is a symbolic link; point --key-file at the real file",
                    details: ["path": path])
            }
            throw FileSystem.ioError("open", path: path, errno: code, doing: "open")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw FileSystem.ioError("fstat", path: path, errno: errno, doing: "inspect")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .invalid(
                .insecureKeyFile,
                "key file \(path) is not a regular file (a FIFO, device or directory); point "
                    + "--key-file at the key file itself", details: ["path": path])
        }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw .invalid(
                .insecureKeyFile,
                "key file \(path) is accessible by group or others (mode \(String(permissions, radix: 8))); "
                    + "run `chmod 600 \(path)` and try again",
                details: ["path": path, "mode": String(permissions, radix: 8)])
        }
        guard Int(info.st_size) <= maximumSize else {
            throw .invalid(
                .invalidEncoding,
                "key file \(path) is \(info.st_size) bytes; a key file holds one base64 line of a 32-byte key",
                details: ["path": path])
        }
        let key = try withUnsafeTemporaryAllocation(byteCount: maximumSize + 1, alignment: 1) {
            (buffer: UnsafeMutableRawBufferPointer) throws(SealingError) -> SecretBytes in
            defer { wipe(buffer) }
            var filled = 0
            while filled < buffer.count {
                let count = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw FileSystem.ioError("read", path: path, errno: errno, doing: "read")
                }
                if count == 0 { break }
                filled += count
            }
            return try Base64.decodeSecret(
                UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), count: MasterKey.byteCount,
                source: "key file \(path)")
        }
        logger?.debug("master key loaded from key file", metadata: ["path": "\(path)"])
        return MasterKey(unchecked: key)
    }

    /// Creates the key file with a fresh key: temporary file (`O_EXCL`, `0600`), fsync, link into place
    /// (never replacing a file another process created meanwhile), fsync of the directory.
    static func create(at path: String, logger: Logger?) throws(SealingError) -> MasterKey {
        let key = MasterKey.generate()
        let temporary = "\(path).tmp-\(SecureRandom.alphanumeric(count: 12))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw FileSystem.ioError("open", path: path, errno: errno, doing: "create") }
        defer { unlink(temporary) }
        do {
            defer { close(fd) }
            try writeKey(key, to: fd, path: path)
        }
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST {
                // Another process created the key file first: use its key, so both agree.
                if let existing = try load(at: path, logger: logger) { return existing }
            }
            throw FileSystem.ioError("link", path: path, errno: code, doing: "create")
        }
        try FileSystem.syncParentDirectory(of: path)
        logger?.notice("created a new master key file", metadata: ["path": "\(path)"])
        return key
    }

    /// Writes the key line to `fd` with mode exactly `0600` and flushes it to disk.
    static func writeKey(_ key: MasterKey, to fd: Int32, path: String) throws(SealingError) {
        // The umask can only remove bits; set exactly 0600 in case it removed the owner's too.
        guard fchmod(fd, 0o600) == 0 else {
            throw FileSystem.ioError("fchmod", path: path, errno: errno, doing: "create")
        }
        var line = key.secret.withBytes { Base64.encode($0) }
        line.append(0x0A)
        defer { wipe(&line) }
        try line.withUnsafeBytes { bytes in
            Result { () throws(SealingError) in try FileSystem.writeAll(fd, bytes, path: path) }
        }.get()
        guard fsync(fd) == 0 else { throw FileSystem.ioError("fsync", path: path, errno: errno, doing: "write") }
    }
}
