#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The text of `strerror` for `code`.
func systemErrorMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}

/// Thin POSIX helpers for the key file: every failure becomes a `SealingError` `.ioError` naming the
/// path and the call, with the `errno` as `underlying`.
enum FileSystem {
    static func ioError(_ function: String, path: String, errno code: Int32, doing: String) -> SealingError {
        SealingError(
            code: .ioError, reason: .fileSystem,
            message: "could not \(doing) key file \(path): \(systemErrorMessage(code))",
            details: ["path": path], underlying: SystemCallError(function: function, errno: code))
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SealingError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ioError("write", path: path, errno: errno, doing: "write")
            }
            offset += written
        }
    }

    /// Flushes the directory holding `path`, so a rename or link into it survives a crash.
    static func syncParentDirectory(of path: String) throws(SealingError) {
        let directory = parentDirectory(of: path)
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open", path: path, errno: errno, doing: "sync the directory of") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ioError("fsync", path: path, errno: errno, doing: "sync the directory of") }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}
