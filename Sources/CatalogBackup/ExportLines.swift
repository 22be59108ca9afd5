internal import ConnectionCatalog

#if canImport(Glibc)
    internal import Glibc
#endif

/// Reads an open file line by line from its start, through one buffer that holds a chunk and a line, so that an
/// export of any size is read in bounded memory.
struct ExportLines {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    /// Where the unread bytes of `buffer` start.
    private var start = 0
    private var atEnd = false
    /// Bytes read from the file so far.
    private(set) var bytesRead = 0

    /// Starts reading `fd` from its first byte (`pread`, so that another pass may start again).
    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(BackupFiles.chunkSize * 2)
    }

    /// What `next` found.
    enum Line {
        /// A whole line, without its `\n`: valid until the next call.
        case line(UnsafeRawBufferPointer)
        /// The end of the file, after a last complete line.
        case end
        /// Bytes after the last `\n`: the file is cut short.
        case unterminated
    }

    /// Lends the next line to `body`.
    mutating func next<R>(_ body: (Line) throws -> R) throws -> R {
        while true {
            let newline = buffer.withUnsafeBytes { bytes -> Int? in
                guard start < bytes.count,
                    let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start)
                else { return nil }
                return bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
            }
            if let newline {
                defer { start = newline + 1 }
                return try buffer.withUnsafeBytes { bytes in
                    try body(.line(UnsafeRawBufferPointer(rebasing: bytes[start..<newline])))
                }
            }
            if atEnd { return try body(start < buffer.count ? .unterminated : .end) }
            try fill()
        }
    }

    /// Drops the bytes already lent out and reads the next chunk after the rest.
    private mutating func fill() throws(CatalogError) {
        buffer.removeSubrange(0..<start)
        start = 0
        let kept = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: BackupFiles.chunkSize))
        let count = buffer.withUnsafeMutableBytes { bytes in
            var count: Int
            repeat {
                count = pread(fd, bytes.baseAddress! + kept, BackupFiles.chunkSize, off_t(bytesRead))
            } while count < 0 && errno == EINTR
            return count
        }
        guard count >= 0 else { throw BackupFiles.ioError("reading", path) }
        buffer.removeLast(BackupFiles.chunkSize - count)
        bytesRead += count
        if count == 0 { atEnd = true }
    }
}
