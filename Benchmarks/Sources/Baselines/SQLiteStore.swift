internal import Dispatch
internal import Foundation
internal import GRDB
internal import RawBaseline
internal import Synchronization

/// The SQLite reference: the catalog's operations on one table through GRDB.
///
/// WAL mode (a `DatabasePool`), `synchronous = FULL` on the writer so that a commit is as durable
/// as an LMDB commit, statements prepared once per connection (`cachedStatement`). Sealing and opening go
/// through raw_baseline.c, so SQLite and LMDB pay the same crypto.
public final class SQLiteStore: Sendable {
    private let pool: DatabasePool

    static let schema = """
        CREATE TABLE IF NOT EXISTS connections(
            id BLOB PRIMARY KEY,
            workspace TEXT,
            name TEXT,
            record BLOB,
            sealed BLOB,
            UNIQUE(workspace, name))
        """
    static let insertSQL = "INSERT INTO connections(id, workspace, name, record, sealed) VALUES (?, ?, ?, ?, ?)"
    static let getSQL = "SELECT id, record, sealed FROM connections WHERE workspace = ? AND name = ?"
    static let likeSQL = "SELECT name, record FROM connections WHERE name LIKE ?"

    /// Opens (creating) the database file at `path`.
    public init(path: String) throws {
        pool = try DatabasePool(path: path)
        // GRDB sets `synchronous = NORMAL` on a pool's writer after `prepareDatabase` runs, so FULL
        // is set here, on the writer connection itself, and checked.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode")
            guard synchronous == 2, journal == "wal" else {
                throw BaselineError(
                    operation: "PRAGMA", code: -1,
                    message: "synchronous=\(synchronous ?? -1) journal_mode=\(journal ?? "?"), not FULL and wal")
            }
            try db.execute(sql: Self.schema)
        }
    }

    /// Creates connections `first..<first+count`, `batch` per transaction (0: all in one).
    public func load(first: UInt64 = 0, count: UInt64, batch: UInt64) throws {
        let step = batch == 0 ? count : batch
        var at = first
        while at < first + count {
            let end = min(at + step, first + count)
            try pool.write { db in
                for index in at..<end { try Self.insert(index, in: db) }
            }
            at = end
        }
    }

    /// Creates `count` connections from `first` in one transaction, sealing each.
    public func createBatch(first: UInt64, count: UInt64) throws {
        try pool.write { db in
            for index in first..<(first + count) { try Self.insert(index, in: db) }
        }
    }

    /// Creates connection `index` in an autocommitted statement (no explicit transaction).
    public func createOne(index: UInt64) throws {
        try pool.writeWithoutTransaction { db in try Self.insert(index, in: db) }
    }

    /// `writers` threads each create `perWriter` connections with autocommitted statements.
    ///
    /// GRDB gives a pool one writer connection, so the writers queue for it, as SQLite's own lock
    /// would make them; every statement is its own synced commit.
    public func createConcurrently(first: UInt64, writers: Int, perWriter: Int) throws {
        let failures = Mutex<[any Error]>([])
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            let start = first + UInt64(writer * perWriter)
            let thread = Thread { [self] in
                defer { group.leave() }
                do {
                    for offset in 0..<UInt64(perWriter) { try createOne(index: start + offset) }
                } catch {
                    failures.withLock { $0.append(error) }
                }
            }
            thread.start()
        }
        group.wait()
        if let failure = failures.withLock({ $0.first }) { throw failure }
    }

    /// DESC's storage and sealing work: select by (workspace, name), then open the external ID.
    ///
    /// One statement, so no explicit read transaction (`unsafeRead` is isolated enough for it).
    /// - Returns: a fold of the opened bytes, for `blackHole`.
    public func getWithOpen(_ who: ConnectionIdentity) throws -> UInt64 {
        try pool.unsafeRead { db in
            let statement = try db.cachedStatement(sql: Self.getSQL)
            let rows = try Row.fetchCursor(statement, arguments: [who.workspace, who.name])
            guard let row = try rows.next() else {
                throw BaselineError(
                    operation: "SELECT", code: Int32(RB_NOT_FOUND), message: "no connection \(who.name)")
            }
            let recordBytes = try row.withUnsafeData(atIndex: 1) { $0?.count ?? 0 }
            let opened = try row.withUnsafeData(atIndex: 0) { id in
                try row.withUnsafeData(atIndex: 2) { sealed in
                    try Self.open(sealed: sealed ?? Data(), id: id ?? Data(), workspace: who.workspaceBytes)
                }
            }
            _ = try rows.next()  // runs the statement to its end, which ends its implicit read transaction
            return opened ^ UInt64(recordBytes)
        }
    }

    /// SHOW … LIKE '%needle%' (SQLite's LIKE is ASCII case-insensitive, as the C scan is).
    public func showLike(_ needle: String) throws -> (matches: UInt64, bytes: UInt64) {
        try pool.unsafeRead { db in
            let statement = try db.cachedStatement(sql: Self.likeSQL)
            let rows = try Row.fetchCursor(statement, arguments: ["%\(needle)%"])
            var matches: UInt64 = 0
            var bytes: UInt64 = 0
            while let row = try rows.next() {
                matches += 1
                bytes += UInt64(try row.withUnsafeData(atIndex: 0) { $0?.count ?? 0 })
                bytes += UInt64(try row.withUnsafeData(atIndex: 1) { $0?.count ?? 0 })
            }
            return (matches, bytes)
        }
    }

    /// Number of records stored.
    public func count() throws -> UInt64 {
        try pool.read { db in UInt64(try Int.fetchOne(db, sql: "SELECT count(*) FROM connections") ?? 0) }
    }

    private static func insert(_ index: UInt64, in db: Database) throws {
        var connection = rb_connection()
        try check("rb_connection_make") { rb_connection_make(index, &connection) }
        let identity = connection.identity
        let id = withUnsafeBytes(of: identity.id) { Data($0) }
        let workspace = withUnsafeBytes(of: identity.workspace) {
            String(decoding: $0.prefix(identity.workspace_len), as: UTF8.self)
        }
        let name = withUnsafeBytes(of: identity.name) {
            String(decoding: $0.prefix(identity.name_len), as: UTF8.self)
        }
        let record = withUnsafeBytes(of: connection.record) { Data($0.prefix(Int(RB_PLAIN_BYTES))) }
        let sealed = withUnsafeBytes(of: connection.sealed) { Data($0) }
        let statement = try db.cachedStatement(sql: insertSQL)
        try statement.execute(arguments: [id, workspace, name, record, sealed])
    }

    private static func open(sealed: Data, id: Data, workspace: [CChar]) throws -> UInt64 {
        guard id.count == Int(RB_ID_BYTES) else {
            throw BaselineError(operation: "SELECT", code: Int32(RB_CORRUPT), message: "id of \(id.count) bytes")
        }
        var opened: (UInt64, UInt64) = (0, 0)
        try withUnsafeMutableBytes(of: &opened) { out in
            try sealed.withUnsafeBytes { sealed in
                try id.withUnsafeBytes { id in
                    try workspace.withUnsafeBufferPointer { ws in
                        try check("rb_open_sealed") {
                            rb_open_sealed(
                                sealed.baseAddress?.assumingMemoryBound(to: UInt8.self), sealed.count,
                                id.baseAddress!.assumingMemoryBound(to: UInt8.self), ws.baseAddress, ws.count,
                                out.baseAddress!.assumingMemoryBound(to: UInt8.self))
                        }
                    }
                }
            }
        }
        return opened.0 ^ opened.1
    }
}
