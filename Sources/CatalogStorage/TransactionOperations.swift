internal import CLMDB

/// The C calls shared by read and write transactions, on a raw `MDB_txn`.
enum TransactionOperations {
    /// `withValue` for a key given as bytes, checked as `RecordKey` checks them; no allocation on the way.
    @inline(__always)
    static func withValue<R>(
        _ txn: OpaquePointer, keyBytes: UnsafeRawBufferPointer, _ database: Database,
        _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        guard !keyBytes.isEmpty, keyBytes.count <= RecordKey.maximumLength else {
            _ = try RecordKey(Array(keyBytes))  // throws the same error RecordKey gives
            preconditionFailure("RecordKey accepted a key of \(keyBytes.count) bytes")
        }
        var data = MDB_val()
        var keyValue = MDB_val(
            mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
        let rc = mdb_get(txn, database.handle, &keyValue, &data)
        if rc == MDB_NOTFOUND { return try body(nil) }
        if rc != 0 { throw StorageError(lmdbCode: rc, operation: "mdb_get") }
        return try body(UnsafeRawBufferPointer(start: data.mv_data, count: data.mv_size))
    }

    static func scan(
        _ txn: OpaquePointer, _ database: Database, _ range: KeyRange,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var cursor: OpaquePointer?
        try check("mdb_cursor_open") { mdb_cursor_open(txn, database.handle, &cursor) }
        defer { mdb_cursor_close(cursor) }
        var key = MDB_val()
        var data = MDB_val()
        var rc: Int32
        if let lower = range.lowerBound, !lower.isEmpty {
            rc = lower.withUnsafeBytes { bytes in
                key = MDB_val(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                return mdb_cursor_get(cursor, &key, &data, MDB_SET_RANGE)
            }
        } else {
            rc = mdb_cursor_get(cursor, &key, &data, MDB_FIRST)
        }
        while rc == 0 {
            let keyBytes = UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size)
            guard range.admits(keyBytes) else { return }
            guard try body(keyBytes, UnsafeRawBufferPointer(start: data.mv_data, count: data.mv_size)) else { return }
            rc = mdb_cursor_get(cursor, &key, &data, MDB_NEXT)
        }
        if rc != MDB_NOTFOUND { throw StorageError(lmdbCode: rc, operation: "mdb_cursor_get") }
    }

    static func count(_ txn: OpaquePointer, _ database: Database) throws(StorageError) -> Int {
        var stat = MDB_stat()
        try check("mdb_stat") { mdb_stat(txn, database.handle, &stat) }
        return stat.ms_entries
    }
}
