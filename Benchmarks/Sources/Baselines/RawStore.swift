internal import RawBaseline

/// The C reference: one LMDB environment driven by raw_baseline.c.
///
/// Not `Sendable`: the C side keeps one reusable read transaction, so one thread uses a store at a
/// time; `createConcurrently` starts its own writer threads inside C.
public final class RawStore {
    private let env: OpaquePointer

    /// Opens (creating) an environment in the existing directory `directory`.
    public init(directory: String, mapSize: Int = 8 << 30) throws(BaselineError) {
        var env: OpaquePointer?
        try check("rb_env_open") { rb_env_open(directory, mapSize, &env) }
        self.env = env!
    }

    deinit { rb_env_close(env) }

    /// Creates connections `first..<first+count`, `batch` per synced transaction (0: all in one).
    public func load(first: UInt64 = 0, count: UInt64, batch: UInt32) throws(BaselineError) {
        try check("rb_load") { rb_load(env, first, count, batch) }
    }

    /// Creates `count` connections from `first` in one synced transaction, sealing each.
    public func createBatch(first: UInt64, count: UInt32) throws(BaselineError) {
        try check("rb_create_batch") { rb_create_batch(env, first, count) }
    }

    /// Creates connection `index` in its own synced transaction.
    public func createOne(index: UInt64) throws(BaselineError) {
        try check("rb_create_one") { rb_create_one(env, index) }
    }

    /// `writers` threads each create `perWriter` connections, one synced transaction each.
    public func createConcurrently(first: UInt64, writers: UInt32, perWriter: UInt32) throws(BaselineError) {
        try check("rb_create_concurrent") { rb_create_concurrent(env, first, writers, perWriter) }
    }

    /// DESC's storage and sealing work: name → id → record → open the external ID.
    ///
    /// - Returns: a fold of the opened bytes, for `blackHole`.
    public func getWithOpen(_ who: ConnectionIdentity) throws(BaselineError) -> UInt64 {
        var opened: (UInt64, UInt64) = (0, 0)
        try withUnsafeMutableBytes(of: &opened) { (out) throws(BaselineError) in
            try who.workspaceBytes.withUnsafeBufferPointer { (ws) throws(BaselineError) in
                try who.nameBytes.withUnsafeBufferPointer { (name) throws(BaselineError) in
                    try check("rb_get_with_open") {
                        rb_get_with_open(
                            env, ws.baseAddress, ws.count, name.baseAddress, name.count,
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
        }
        return opened.0 ^ opened.1
    }

    /// SHOW … LIKE '%needle%' over the whole name index, reading the record of each match.
    public func showLike(_ needle: String) throws(BaselineError) -> (matches: UInt64, bytes: UInt64) {
        var matches: UInt64 = 0
        var bytes: UInt64 = 0
        let length = needle.utf8.count
        try check("rb_show_like") {
            needle.withCString { text in rb_show_like(env, text, length, &matches, &bytes) }
        }
        return (matches, bytes)
    }

    /// Number of records stored.
    public func count() throws(BaselineError) -> UInt64 {
        var count: UInt64 = 0
        try check("rb_count") { rb_count(env, &count) }
        return count
    }

    /// Backup's storage work: a compacted, synced single-file copy of the environment at the new file `path`.
    ///
    /// - Returns: the copy's size in bytes.
    public func backup(to path: String) throws(BaselineError) -> UInt64 {
        var bytes: UInt64 = 0
        try check("rb_backup") { rb_backup(env, path, &bytes) }
        return bytes
    }
}
