internal import CLMDB
internal import Synchronization

/// A snapshot of an environment's size and use, for `catalog stats` and for operators.
public struct EnvironmentStats: Sendable, CustomStringConvertible {
    public var path: String
    /// Entries per named database, in the order the environment was opened with.
    public var entries: [(database: String, count: Int)]
    public var mapSize: Int
    /// Bytes of the map in use: pages up to the last one written.
    public var usedBytes: Int
    public var pageSize: Int
    /// Reader slots holding a live read transaction, across every process.
    public var readersInUse: Int
    public var maxReaders: Int
    public var lastTransactionID: Int

    public var description: String {
        var lines = ["path: \(path)"]
        for (database, count) in entries { lines.append("entries in \(database): \(count)") }
        lines.append("map size: \(mapSize) bytes")
        lines.append("map used: \(usedBytes) bytes (\(pageSize)-byte pages)")
        lines.append("reader slots in use: \(readersInUse) of \(maxReaders)")
        lines.append("last transaction: \(lastTransactionID)")
        return lines.joined(separator: "\n")
    }
}

extension Environment {
    /// Reads the environment's statistics from one snapshot. Wraps `mdb_stat`, `mdb_env_info`, `mdb_reader_list`.
    public func stats() throws -> EnvironmentStats {
        var pageSize = 0
        let counts: [(String, Int)] = try read { tx in
            var stat = MDB_stat()
            mdb_env_stat(handle.pointer, &stat)
            pageSize = Int(stat.ms_psize)
            let known = databases.withLock { $0 }
            return try options.databases.compactMap { name in
                guard let database = known[name] else { return nil }
                return (name, try tx.count(of: database))
            }
        }
        var info = MDB_envinfo()
        mdb_env_info(handle.pointer, &info)
        return EnvironmentStats(
            path: path, entries: counts, mapSize: info.me_mapsize, usedBytes: (info.me_last_pgno + 1) * pageSize,
            pageSize: pageSize, readersInUse: readersInUse(), maxReaders: Int(info.me_maxreaders),
            lastTransactionID: info.me_last_txnid)
    }

    /// Counts the reader slots holding a transaction, from the lines `mdb_reader_list` prints
    /// (`pid thread txnid`, the txnid `-` for a slot without one).
    func readersInUse() -> Int {
        guard !options.withoutLocking else { return 0 }
        var count = 0
        withUnsafeMutablePointer(to: &count) { pointer in
            _ = mdb_reader_list(
                handle.pointer,
                { message, context in
                    guard let message, let context else { return 0 }
                    let fields = String(cString: message).split(separator: " ", omittingEmptySubsequences: true)
                    if fields.count == 3, fields[0] != "pid", fields[2].first?.isNumber == true {
                        context.assumingMemoryBound(to: Int.self).pointee += 1
                    }
                    return 0
                }, pointer)
        }
        return count
    }
}

extension Environment {
    /// Whether the environment holds nothing at all: no named database and no record in LMDB's main database.
    ///
    /// What decides whether a location may become a new catalog: a file that holds anything is never
    /// initialised again. Wraps `mdb_dbi_open` (of the main database) and `mdb_stat`.
    package func holdsNothing() throws -> Bool {
        try read { tx in
            var main: MDB_dbi = 0
            try check("mdb_dbi_open") { mdb_dbi_open(tx.txn, nil, 0, &main) }
            var stat = MDB_stat()
            try check("mdb_stat") { mdb_stat(tx.txn, main, &stat) }
            return stat.ms_entries == 0
        }
    }
}
