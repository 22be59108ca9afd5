internal import CLMDB

#if canImport(Glibc)
    internal import Glibc
#endif

extension Environment {
    /// Drops the pages of the memory map from this process's resident set (`madvise(MADV_DONTNEED)` over the
    /// mapping of the data file, found in `/proc/self/maps` by the file's inode: LMDB does not tell where its map
    /// is), so that a scan of the whole file (verify, restore) keeps a bounded resident set instead of one as
    /// large as the file. Nothing is lost: LMDB maps its file read-only and shared (never `MDB_WRITEMAP`), so the
    /// next read of a page, through any pointer still held, faults it back in from the page cache with the same
    /// bytes. Where the mapping cannot be found, nothing happens.
    ///
    /// Call it inside a transaction of this environment, so that the map cannot be resized meanwhile.
    package func releaseResidentPages() {
        var info = stat()
        guard stat(Self.files(of: path, layout: options.layout).data, &info) == 0,
            let maps = Self.readMaps()
        else { return }
        for line in maps.split(separator: UInt8(ascii: "\n")) {
            // start-end perms offset dev inode path
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count >= 5, UInt64(String(decoding: fields[4], as: UTF8.self)) == UInt64(info.st_ino) else {
                continue
            }
            let range = fields[0].split(separator: UInt8(ascii: "-"))
            guard range.count == 2, let start = UInt(String(decoding: range[0], as: UTF8.self), radix: 16),
                let end = UInt(String(decoding: range[1], as: UTF8.self), radix: 16), end > start,
                let address = UnsafeMutableRawPointer(bitPattern: start)
            else { continue }
            _ = madvise(address, Int(end - start), MADV_DONTNEED)
        }
    }

    /// The text of `/proc/self/maps`, or `nil` where there is none.
    private static func readMaps() -> [UInt8]? {
        let fd = Glibc.open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return count == 0 ? text : nil }
            text += buffer[0..<count]
        }
    }
}
