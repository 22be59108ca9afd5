internal import CLMDB

#if canImport(Glibc)
    internal import Glibc
#endif

/// Refuses directories on network file systems, where LMDB's shared-memory locking does not work.
enum FileSystemCheck {
    /// `statfs` magic numbers of the network file systems LMDB cannot lock correctly.
    static let networkFileSystems: [Int: String] = [
        0x6969: "NFS", 0x517B: "SMB", 0xFF53_4D42: "CIFS", 0xFE53_4D42: "SMB2", 0x5346_414F: "AFS",
        0x7375_7245: "Coda", 0x564C: "NCP",
    ]

    static func requireLocal(_ directory: String) throws(StorageError) {
        var info = statfs()
        guard statfs(directory, &info) == 0 else { throw StorageError.system("statfs", path: directory) }
        let type = Int(UInt32(truncatingIfNeeded: info.f_type))
        if let name = networkFileSystems[type] {
            throw StorageError(
                code: .unsupportedFileSystem, operation: "statfs",
                message: "'\(directory)' is on \(name), a network file system where LMDB's locks are unsafe; "
                    + "put the catalog on a local disk")
        }
    }
}
