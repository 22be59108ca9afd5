internal import CLMDB

#if canImport(Glibc)
    internal import Glibc
#endif

extension Environment {
    /// Drops the pages of the memory map from this process's resident set (`madvise(MADV_DONTNEED)` over the
    /// map, found with `mdb_env_info`), so that a scan of the whole file (verify, restore) keeps a bounded resident
    /// set instead of one as large as the file. Nothing is lost: LMDB maps its file read-only and shared (never
    /// `MDB_WRITEMAP`), so the next read of a page, through any pointer still held, faults it back in from the page
    /// cache with the same bytes.
    ///
    /// Call it inside a transaction of this environment, so that the map cannot be resized meanwhile.
    package func releaseResidentPages() {
        var info = MDB_envinfo()
        guard mdb_env_info(handle.pointer, &info) == 0, let address = info.me_mapaddr else { return }
        var stat = MDB_stat()
        mdb_env_stat(handle.pointer, &stat)
        let used = min(info.me_mapsize, (info.me_last_pgno + 1) * Int(stat.ms_psize))
        _ = madvise(address, used, MADV_DONTNEED)
    }
}
