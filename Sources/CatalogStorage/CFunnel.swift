internal import CLMDB

#if canImport(Glibc)
    internal import Glibc
#endif

/// The one funnel every LMDB return code passes through: zero is success, anything else becomes a `StorageError`.
@inline(__always)
func check(_ operation: String, _ call: () -> Int32) throws(StorageError) {
    let rc = call()
    if rc != 0 { throw StorageError(lmdbCode: rc, operation: operation) }
}

extension StorageError {
    /// Builds the error for an LMDB or `errno` code, with LMDB's text and advice for the codes users meet.
    init(lmdbCode rc: Int32, operation: String) {
        let text = String(cString: mdb_strerror(rc))
        let advice: String
        switch Code(rawValue: rc) {
        case .readersFull:
            advice = "; too many concurrent read transactions: finish some or open with more reader slots"
        case .invalid: advice = "; the file is not an LMDB environment (or is damaged)"
        case .versionMismatch: advice = "; the environment was written by an incompatible LMDB version"
        case .mapFull: advice = "; the map is full and will be grown"
        case .permissionDenied: advice = "; check the permissions of the catalog directory and its files"
        case .noSpace: advice = "; free disk space and retry"
        default: advice = ""
        }
        self.init(code: Code(rawValue: rc), operation: operation, message: "\(operation) failed: \(text)\(advice)")
    }

    /// Builds the error for the current `errno` after a failed system call on `path`.
    static func system(_ operation: String, path: String) -> StorageError {
        let number = errno
        let text = String(cString: strerror(number))
        return StorageError(
            code: Code(rawValue: number), operation: operation, message: "\(operation) '\(path)' failed: \(text)")
    }
}

extension StorageError.Code {
    /// The C macro behind each LMDB code, for the test that pins the Swift names to the header.
    package static let lmdbMacros: [(code: Self, cValue: Int32, macro: String)] = [
        (.keyExists, MDB_KEYEXIST, "MDB_KEYEXIST"), (.notFound, MDB_NOTFOUND, "MDB_NOTFOUND"),
        (.pageNotFound, MDB_PAGE_NOTFOUND, "MDB_PAGE_NOTFOUND"), (.corrupted, MDB_CORRUPTED, "MDB_CORRUPTED"),
        (.panic, MDB_PANIC, "MDB_PANIC"), (.versionMismatch, MDB_VERSION_MISMATCH, "MDB_VERSION_MISMATCH"),
        (.invalid, MDB_INVALID, "MDB_INVALID"), (.mapFull, MDB_MAP_FULL, "MDB_MAP_FULL"),
        (.databasesFull, MDB_DBS_FULL, "MDB_DBS_FULL"), (.readersFull, MDB_READERS_FULL, "MDB_READERS_FULL"),
        (.threadLocalStorageFull, MDB_TLS_FULL, "MDB_TLS_FULL"), (.transactionFull, MDB_TXN_FULL, "MDB_TXN_FULL"),
        (.cursorFull, MDB_CURSOR_FULL, "MDB_CURSOR_FULL"), (.pageFull, MDB_PAGE_FULL, "MDB_PAGE_FULL"),
        (.mapResized, MDB_MAP_RESIZED, "MDB_MAP_RESIZED"), (.incompatible, MDB_INCOMPATIBLE, "MDB_INCOMPATIBLE"),
        (.badReaderSlot, MDB_BAD_RSLOT, "MDB_BAD_RSLOT"), (.badTransaction, MDB_BAD_TXN, "MDB_BAD_TXN"),
        (.badValueSize, MDB_BAD_VALSIZE, "MDB_BAD_VALSIZE"), (.badDatabase, MDB_BAD_DBI, "MDB_BAD_DBI"),
        (.fileNotFound, ENOENT, "ENOENT"), (.ioFailure, EIO, "EIO"), (.permissionDenied, EACCES, "EACCES"),
        (.notADirectory, ENOTDIR, "ENOTDIR"), (.invalidArgument, EINVAL, "EINVAL"), (.noSpace, ENOSPC, "ENOSPC"),
        (.readOnlyFileSystem, EROFS, "EROFS"),
    ]
}
