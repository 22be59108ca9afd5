internal import Synchronization

/// Every path this module hands to LMDB, in order, so tests can prove that a file failing its checksum was
/// never opened by LMDB (which trusts its files: a crafted one can crash it).
package enum StorageOpenLog {
    private static let paths = Mutex<[String]>([])

    /// Notes that `path` is about to be opened by LMDB.
    static func record(_ path: String) {
        paths.withLock { $0.append(path) }
    }

    /// The paths opened so far in this process.
    package static var opened: [String] { paths.withLock { $0 } }
}
