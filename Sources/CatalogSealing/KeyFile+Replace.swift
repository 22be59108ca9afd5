#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Replacing a key file in place, for `catalog rekey` when the catalog uses its default key file.
///
/// The order matters: the old key is kept (`keepPrevious`) before the catalog moves to the new key, and the
/// key file is replaced (`install`) only after the catalog committed, so that at every moment one of the files
/// on disk opens the catalog.
public enum KeyFileReplacement: Sendable {
    /// The name the previous key is kept under: `<path>.old`.
    public static func previousPath(of path: String) -> String { "\(path).old" }

    /// Keeps the key file at `path` as `<path>.old` (a hard link: the same bytes and mode, nothing copied
    /// through memory), then syncs the directory. Returns the `.old` path.
    ///
    /// - Throws: `SealingError` `.ioError` if `<path>.old` already exists (an earlier rekey's old key, which
    ///   backups taken before it may need) or the link fails.
    @discardableResult
    public static func keepPrevious(of path: String) throws(SealingError) -> String {
        let old = previousPath(of: path)
        guard link(path, old) == 0 else {
            throw FileSystem.ioError("link", path: old, errno: errno, doing: "keep the previous key in the")
        }
        try FileSystem.syncParentDirectory(of: old)
        return old
    }

    /// Writes `key` to `path`, replacing the file there atomically: a `0600` temporary file beside it
    /// (`O_EXCL`), fsync, `rename` over `path`, fsync of the directory. Readers see the old file or the new one.
    public static func install(_ key: MasterKey, at path: String) throws(SealingError) {
        let temporary = "\(path).tmp-\(SecureRandom.alphanumeric(count: 12))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw FileSystem.ioError("open", path: temporary, errno: errno, doing: "create") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            try KeyFile.writeKey(key, to: fd, path: temporary)
        }
        guard rename(temporary, path) == 0 else {
            throw FileSystem.ioError("rename", path: path, errno: errno, doing: "replace")
        }
        renamed = true
        try FileSystem.syncParentDirectory(of: path)
    }
}
