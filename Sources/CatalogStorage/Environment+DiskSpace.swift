#if canImport(Glibc)
    internal import Glibc
#endif

extension Environment {
    /// Below this many free bytes, a failed write is put down to a full disk.
    static let fullDiskThreshold = 1 << 20

    /// `error` restated as `.noSpace` naming the directory when the file system holding the environment is
    /// (nearly) full. LMDB reports a write that ran out of space as `EIO` from the commit's flush or sync, which
    /// tells a user nothing; the free space, read with `statvfs`, tells them what to do.
    func explainingFullDisk(_ error: StorageError) -> StorageError {
        guard error.code == .ioFailure || error.code == .noSpace else { return error }
        let directory =
            options.layout == .singleFile ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : path
        var info = statvfs()
        guard statvfs(directory.isEmpty ? "/" : directory, &info) == 0 else { return error }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        guard free < Self.fullDiskThreshold else { return error }
        return StorageError(
            code: .noSpace, operation: error.operation,
            message: "the disk holding '\(directory)' is full (\(free) bytes free); nothing of this write was kept: "
                + "free space there and retry")
    }
}
