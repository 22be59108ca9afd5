#if canImport(Glibc)
    internal import Glibc
#endif

/// A reader of LMDB's on-disk page format that never uses LMDB: for salvaging a damaged `data.mdb`, which can
/// crash LMDB's own B-tree traversal (SIGBUS on a truncated file, wild reads through a garbled page header).
///
/// It reads the file with `pread`, page by page, checking every offset against the page and the file before it
/// follows it, and yields the key/value pairs of every leaf page that is not on LMDB's free list, with no idea
/// of which named database they belong to: the layer above tells its entries apart by their shape and checksums.
/// Pages whose header is damaged are skipped and counted; nothing here trusts a byte it has not bounds-checked.
///
/// The layout read is LMDB 0.9's on 64-bit Linux (little-endian): a 16-byte page header (`pgno` u64, pad u16,
/// flags u16, lower u16, upper u16; an overflow page keeps its page count in lower/upper), meta pages 0 and 1
/// (magic `0xBEEFC0DE`, two `MDB_db` records of 48 bytes, last page, transaction id), leaf nodes of 8 header
/// bytes (data size lo/hi u16, flags u16, key size u16) then key and data (or an overflow page number).
public enum RawPageReader: Sendable {
    /// One key/value pair found on a leaf page.
    public struct Entry: Sendable, Hashable {
        public var key: [UInt8]
        public var value: [UInt8]
        /// The page it was read from.
        public var page: Int
        /// Whether it was carved out of a page whose header is damaged (found by the shape of a node alone, so it
        /// may be noise or an old copy left in the page's free space): check it before trusting it.
        public var carved = false
    }

    /// A named database's record in the main database, as found on a leaf page.
    public struct DatabaseRecord: Sendable, Hashable {
        public var name: String
        /// `md_entries`: how many entries the database held when that page was written.
        public var entries: Int
    }

    /// Everything a raw scan found.
    public struct Scan: Sendable {
        public var pageSize: Int
        /// Pages the newest meta page says the file has (`last_pg + 1`).
        public var pageCount: Int
        /// Pages the file actually holds (fewer when it was truncated).
        public var pagesInFile: Int
        /// The key/value pairs of every readable, non-free leaf page (named-database records excluded).
        public var entries: [Entry]
        /// Named-database records found in the main database's leaf pages.
        public var databases: [DatabaseRecord]
        /// Page numbers that should hold data but whose header is damaged or that lie past the end of the file.
        public var damagedPages: [Int]
        /// Values stored on overflow pages that could not be read (damaged or missing).
        public var unreadableOverflowValues: Int
        /// Whether the free list could be read; when not, stale copies of earlier versions may be among `entries`.
        public var freeListRead: Bool
    }

    static let headerSize = 16
    static let metaMagic: UInt32 = 0xBEEF_C0DE
    static let invalidPage = UInt64.max
    static let branchFlag: UInt16 = 0x01
    static let leafFlag: UInt16 = 0x02
    static let overflowFlag: UInt16 = 0x04
    static let metaFlag: UInt16 = 0x08
    static let leaf2Flag: UInt16 = 0x20
    static let subPageFlag: UInt16 = 0x40
    static let bigDataNode: UInt16 = 0x01
    static let subDatabaseNode: UInt16 = 0x02
    static let duplicateNode: UInt16 = 0x04

    /// Scans the LMDB data file at `path` without LMDB.
    ///
    /// - Throws: `StorageError` when the file cannot be opened or read, is not a regular file, or has no
    ///   readable meta page (then it is not an LMDB file, or its first pages are destroyed).
    public static func scan(file path: String) throws(StorageError) -> Scan {
        let file = try RawFile(path: path)
        defer { file.close() }
        let (pageSize, meta) = try findMeta(in: file, path: path)
        let pagesInFile = file.size / pageSize
        // A garbled last-page number would make the scan run on for ever: past twice the file it is not believed.
        let recordedCount = Int(clamping: meta.lastPage &+ 1)
        let pageCount = recordedCount > 2 * pagesInFile + 1024 ? pagesInFile : recordedCount
        var free = Set<UInt64>()
        var visited = Set<UInt64>()
        let freeListRead = walkFreeList(
            from: meta.freeRoot, file: file, pageSize: pageSize, depth: 0, free: &free, visited: &visited)
        var scan = Scan(
            pageSize: pageSize, pageCount: pageCount, pagesInFile: pagesInFile, entries: [], databases: [],
            damagedPages: [], unreadableOverflowValues: 0, freeListRead: freeListRead)
        var page = 2
        while page < pageCount {
            defer { page += 1 }
            if free.contains(UInt64(page)) || visited.contains(UInt64(page)) { continue }
            guard page < pagesInFile, let bytes = file.read(at: page * pageSize, count: pageSize) else {
                scan.damagedPages.append(page)
                continue
            }
            let header = PageHeader(bytes)
            guard header.number == UInt64(page) else {
                scan.damagedPages.append(page)
                scan.entries += carve(bytes, page: page)
                continue
            }
            let kind = header.flags & (branchFlag | leafFlag | overflowFlag | metaFlag | leaf2Flag | subPageFlag)
            switch kind {
            case overflowFlag:
                // The value's pages follow; the leaf that points here reads them.
                page += max(0, Int(header.overflowPages) - 1)
            case branchFlag, metaFlag:
                continue
            case leafFlag:
                guard let nodes = nodes(of: bytes, pageSize: pageSize) else {
                    scan.damagedPages.append(page)
                    scan.entries += carve(bytes, page: page)
                    continue
                }
                for node in nodes {
                    if node.flags & duplicateNode != 0 { continue }
                    if node.flags & subDatabaseNode != 0 {
                        if node.data.count >= 48, let name = String(validating: node.key, as: UTF8.self) {
                            let entries = littleEndian(UInt64.self, node.data, at: 32)
                            scan.databases.append(DatabaseRecord(name: name, entries: Int(clamping: entries)))
                        }
                        continue
                    }
                    if node.flags & bigDataNode != 0 {
                        guard node.data.count == 8,
                            let value = overflowValue(
                                at: littleEndian(UInt64.self, node.data, at: 0), size: node.dataSize, file: file,
                                pageSize: pageSize)
                        else {
                            scan.unreadableOverflowValues += 1
                            continue
                        }
                        scan.entries.append(Entry(key: node.key, value: value, page: page))
                    } else {
                        scan.entries.append(Entry(key: node.key, value: node.data, page: page))
                    }
                }
            default:
                scan.damagedPages.append(page)
                scan.entries += carve(bytes, page: page)
            }
        }
        return scan
    }

    // MARK: Pages

    struct Meta {
        var freeRoot: UInt64
        var lastPage: UInt64
        var transactionID: UInt64
    }

    struct PageHeader {
        var number: UInt64
        var flags: UInt16
        var lower: UInt16
        var upper: UInt16
        var overflowPages: UInt32

        init(_ bytes: [UInt8]) {
            number = littleEndian(UInt64.self, bytes, at: 0)
            flags = littleEndian(UInt16.self, bytes, at: 10)
            lower = littleEndian(UInt16.self, bytes, at: 12)
            upper = littleEndian(UInt16.self, bytes, at: 14)
            overflowPages = littleEndian(UInt32.self, bytes, at: 12)
        }
    }

    struct Node {
        var flags: UInt16
        var dataSize: Int
        var key: [UInt8]
        /// The value, or for a branch node nothing, or for a big value its 8-byte overflow page number.
        var data: [UInt8]
        /// A branch node's child page.
        var child: UInt64
    }

    /// The page size (from meta page 0's free-database record, else found by looking for meta page 1) and the
    /// newest valid meta page.
    static func findMeta(in file: RawFile, path: String) throws(StorageError) -> (Int, Meta) {
        var pageSize = 0
        if let first = file.read(at: 0, count: 256), littleEndian(UInt32.self, first, at: 16) == metaMagic {
            let recorded = Int(littleEndian(UInt32.self, first, at: 40))
            if recorded >= 512, recorded <= 65536, recorded & (recorded - 1) == 0 { pageSize = recorded }
        }
        if pageSize == 0 {
            for candidate in [4096, 8192, 16384, 32768, 65536] {
                if let second = file.read(at: candidate, count: 256),
                    littleEndian(UInt32.self, second, at: 16) == metaMagic
                {
                    pageSize = candidate
                    break
                }
            }
        }
        var best: Meta?
        if pageSize > 0 {
            for index in 0..<2 {
                guard let bytes = file.read(at: index * pageSize, count: 256),
                    littleEndian(UInt32.self, bytes, at: 16) == metaMagic
                else { continue }
                let meta = Meta(
                    freeRoot: littleEndian(UInt64.self, bytes, at: 80),
                    lastPage: littleEndian(UInt64.self, bytes, at: 136),
                    transactionID: littleEndian(UInt64.self, bytes, at: 144))
                if meta.transactionID >= (best?.transactionID ?? 0) { best = meta }
            }
        }
        guard let best else {
            throw StorageError(
                code: .corrupted, operation: "raw scan",
                message: "'\(path)' has no readable LMDB meta page; it is not a catalog data file, or its first pages "
                    + "are destroyed")
        }
        return (pageSize, best)
    }

    /// The nodes of a leaf or branch page, every offset checked; `nil` when the page's layout is impossible.
    static func nodes(of page: [UInt8], pageSize: Int, branch: Bool = false) -> [Node]? {
        let header = PageHeader(page)
        let lower = Int(header.lower)
        let upper = Int(header.upper)
        guard lower >= headerSize, lower <= upper, upper <= pageSize, (lower - headerSize) % 2 == 0 else { return nil }
        var nodes: [Node] = []
        for index in 0..<(lower - headerSize) / 2 {
            let offset = Int(littleEndian(UInt16.self, page, at: headerSize + 2 * index))
            guard offset >= upper, offset + 8 <= pageSize else { return nil }
            let lo = Int(littleEndian(UInt16.self, page, at: offset))
            let hi = Int(littleEndian(UInt16.self, page, at: offset + 2))
            let flags = littleEndian(UInt16.self, page, at: offset + 4)
            let keySize = Int(littleEndian(UInt16.self, page, at: offset + 6))
            let keyStart = offset + 8
            guard keyStart + keySize <= pageSize else { return nil }
            let key = Array(page[keyStart..<keyStart + keySize])
            if branch {
                let child = UInt64(lo) | UInt64(hi) << 16 | UInt64(flags) << 32
                nodes.append(Node(flags: 0, dataSize: 0, key: key, data: [], child: child))
                continue
            }
            let dataSize = lo | hi << 16
            let stored = flags & bigDataNode != 0 ? 8 : dataSize
            guard keyStart + keySize + stored <= pageSize else { return nil }
            let data = Array(page[keyStart + keySize..<keyStart + keySize + stored])
            nodes.append(Node(flags: flags, dataSize: dataSize, key: key, data: data, child: 0))
        }
        return nodes
    }

    /// Every plain node (flags 0, key 1 to 511 bytes, value inside the page) at an even offset of a page whose
    /// header cannot be trusted: LMDB writes nodes at even offsets, so the nodes of a leaf page whose header was
    /// garbled are still found, among noise that the caller's checks (record checksums, authenticated keys)
    /// reject.
    static func carve(_ page: [UInt8], page number: Int) -> [Entry] {
        var entries: [Entry] = []
        var offset = headerSize
        while offset + 8 < page.count {
            defer { offset += 2 }
            let dataSize =
                Int(littleEndian(UInt16.self, page, at: offset)) | Int(littleEndian(UInt16.self, page, at: offset + 2))
                << 16
            let flags = littleEndian(UInt16.self, page, at: offset + 4)
            let keySize = Int(littleEndian(UInt16.self, page, at: offset + 6))
            guard flags == 0, keySize >= 1, keySize <= 511, dataSize >= 1,
                offset + 8 + keySize + dataSize <= page.count
            else { continue }
            let keyStart = offset + 8
            entries.append(
                Entry(
                    key: Array(page[keyStart..<keyStart + keySize]),
                    value: Array(page[keyStart + keySize..<keyStart + keySize + dataSize]), page: number, carved: true))
        }
        return entries
    }

    /// A value kept on overflow pages starting at `pageNumber`, or `nil` if those pages are damaged or missing.
    static func overflowValue(at pageNumber: UInt64, size: Int, file: RawFile, pageSize: Int) -> [UInt8]? {
        guard pageNumber >= 2, pageNumber < UInt64(file.size / pageSize), size >= 0, size <= 1 << 30,
            let first = file.read(at: Int(pageNumber) * pageSize, count: headerSize)
        else { return nil }
        let header = PageHeader(first)
        guard header.number == pageNumber, header.flags & overflowFlag != 0,
            Int(header.overflowPages) * pageSize >= headerSize + size
        else { return nil }
        return file.read(at: Int(pageNumber) * pageSize + headerSize, count: size)
    }

    /// Collects the page numbers on LMDB's free list (and the free list's own pages, in `visited`), tolerating
    /// damage: a page that does not read as a free-list page ends that branch. Returns whether all of it read.
    static func walkFreeList(
        from root: UInt64, file: RawFile, pageSize: Int, depth: Int, free: inout Set<UInt64>,
        visited: inout Set<UInt64>
    ) -> Bool {
        if root == invalidPage { return true }
        guard depth < 32, root >= 2, root < UInt64(file.size / pageSize), !visited.contains(root),
            let page = file.read(at: Int(root) * pageSize, count: pageSize)
        else { return false }
        let header = PageHeader(page)
        guard header.number == root else { return false }
        visited.insert(root)
        if header.flags & branchFlag != 0 {
            guard let children = nodes(of: page, pageSize: pageSize, branch: true) else { return false }
            var complete = true
            for child in children {
                complete =
                    walkFreeList(
                        from: child.child, file: file, pageSize: pageSize, depth: depth + 1, free: &free,
                        visited: &visited)
                    && complete
            }
            return complete
        }
        guard header.flags & leafFlag != 0, let entries = nodes(of: page, pageSize: pageSize) else { return false }
        var complete = true
        for entry in entries {
            var list = entry.data
            if entry.flags & bigDataNode != 0 {
                let start = littleEndian(UInt64.self, entry.data, at: 0)
                guard let value = overflowValue(at: start, size: entry.dataSize, file: file, pageSize: pageSize) else {
                    complete = false
                    continue
                }
                list = value
                // The overflow pages hold the list, not data.
                let pages = UInt64((headerSize + entry.dataSize + pageSize - 1) / pageSize)
                for offset in 0..<pages { visited.insert(start + offset) }
            }
            guard list.count >= 8 else { continue }
            let count = Int(clamping: littleEndian(UInt64.self, list, at: 0))
            guard count <= (list.count - 8) / 8 else {
                complete = false
                continue
            }
            for index in 0..<count { free.insert(littleEndian(UInt64.self, list, at: 8 + 8 * index)) }
        }
        return complete
    }
}

/// A read-only file read with `pread`, never mapped (a truncated mapping is what raises SIGBUS).
struct RawFile {
    let fd: Int32
    let size: Int

    init(path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            throw StorageError(
                code: StorageError.Code(rawValue: errno), operation: "open",
                message: "cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(fd)
            throw StorageError(
                code: .invalidArgument, operation: "fstat",
                message: "'\(path)' is not a regular file; it is not a data file")
        }
        self.fd = fd
        self.size = Int(info.st_size)
    }

    /// `count` bytes at `offset`, or `nil` when the file does not hold them all.
    func read(at offset: Int, count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset + count <= size else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    func close() { Glibc.close(fd) }
}

/// The little-endian integer at `offset` of `bytes`; zero where `bytes` is too short (callers check bounds first).
func littleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
    let size = MemoryLayout<T>.size
    guard offset >= 0, offset + size <= bytes.count else { return 0 }
    var value: T = 0
    for index in 0..<size { value |= T(bytes[offset + index]) << (8 * index) }
    return value
}
