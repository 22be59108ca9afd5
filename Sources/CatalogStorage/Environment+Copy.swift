internal import CLMDB
internal import Logging
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

extension Environment {
    /// What a hot copy produced.
    public struct CopyResult: Sendable {
        /// Whether the copy is compacted (free pages left out); `false` when compaction failed and a plain copy
        /// was taken instead.
        public var compacted: Bool
        public var bytes: Int
    }

    /// Writes a consistent copy of the environment, as one data file, to `destination`, while writers go on.
    ///
    /// The copy is taken from one snapshot with `mdb_env_copyfd2` into a file this layer creates `0600` under a
    /// temporary name; it is synced, renamed into place and the directory synced, so `destination` holds either
    /// nothing new or the whole copy. Compaction is tried first; if it fails, a plain copy is taken.
    /// (`mdb_env_copy2` is not used: it creates its file `0666` and never syncs.)
    ///
    /// - Throws: `StorageError` with the `errno` or LMDB code of the step that failed; the temporary file is removed.
    @discardableResult
    public func copy(to destination: String, compact: Bool = true) throws(StorageError) -> CopyResult {
        precondition(
            writerThread.load(ordering: .relaxed) != UInt(pthread_self()),
            "copy takes LMDB's writer lock; do not call it inside a write transaction")
        return try writeCopyFile(at: destination) { fd, temporary throws(StorageError) in
            var compacted = compact
            do throws(StorageError) {
                try copyFromSnapshot(into: fd, compact: compact)
            } catch {
                guard compact else { throw error }
                logger.warning("compacting copy failed; taking a plain copy", metadata: ["code": "\(error.code)"])
                guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
                    throw StorageError.system("ftruncate", path: temporary)
                }
                try copyFromSnapshot(into: fd, compact: false)
                compacted = false
            }
            return CopyResult(compacted: compacted, bytes: Int(lseek(fd, 0, SEEK_END)))
        }
    }

    /// Makes the file of a copy at `destination` so that it holds either nothing new or the whole copy: `write`
    /// fills a new `0600` file under a temporary name beside it (given its descriptor and name), which is then
    /// synced, renamed into place and its directory synced. On any failure the temporary file is removed.
    func writeCopyFile<R>(
        at destination: String, _ write: (_ fd: Int32, _ temporary: String) throws(StorageError) -> R
    ) throws(StorageError) -> R {
        let temporary = "\(destination).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StorageError.system("open", path: temporary) }
        var succeeded = false
        defer {
            if !succeeded {
                close(fd)
                unlink(temporary)
            }
        }
        let result = try write(fd, temporary)
        guard fsync(fd) == 0 else { throw StorageError.system("fsync", path: temporary) }
        succeeded = true
        guard close(fd) == 0 else {
            unlink(temporary)
            throw StorageError.system("close", path: temporary)
        }
        guard rename(temporary, destination) == 0 else {
            let error = StorageError.system("rename", path: destination)
            unlink(temporary)
            throw error
        }
        try syncDirectory(containing: destination)
        return result
    }

    /// Runs `mdb_env_copyfd2` as a live transaction of this process, so the map is not resized under it.
    func copyFromSnapshot(into fd: Int32, compact: Bool) throws(StorageError) {
        while true {
            gate.enter()
            let rc = mdb_env_copyfd2(handle.pointer, fd, compact ? UInt32(MDB_CP_COMPACT) : 0)
            gate.leave()
            if rc == 0 { return }
            guard rc == MDB_MAP_RESIZED else { throw StorageError(lmdbCode: rc, operation: "mdb_env_copyfd2") }
            try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(handle.pointer, 0) }
        }
    }
}

/// `fsync`s the directory holding `path`, so a rename into it survives a crash.
func syncDirectory(containing path: String) throws(StorageError) {
    let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw StorageError.system("open", path: directory) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw StorageError.system("fsync", path: directory) }
}
