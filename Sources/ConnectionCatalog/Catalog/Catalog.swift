internal import CatalogSealing
internal import CatalogStorage
internal import Logging

/// An open catalog of connections: the `Sendable` handle a service shares across threads and tasks.
///
/// Open it once per path per process; `read` and `write` lend a `CatalogReader` or `CatalogWriter` for one
/// transaction. Every change bumps the connection's version and keeps the previous version in `history`, in
/// the same transaction.
public final class Catalog: Sendable {
    /// The canonical path of the catalog directory, or the store's description (`etcd://host:port/name`).
    package let path: String
    /// The catalog's random id, bound into every sealed value.
    package let catalogID: [UInt8]
    /// The on-disk schema version, after any migration run at open.
    package let schemaVersion: Int
    /// The logger given in the options, for events and ids only.
    let logger: Logger?
    /// Where the records live: the embedded LMDB environment, or another store (etcd).
    let backend: CatalogBackend
    let databases: CatalogDatabases
    let keys: KeyState
    let creator: String
    /// Whether the open that made this handle created the catalog (the CLI says so, and where the key is).
    package let wasCreatedByOpen: Bool
    /// How many entries the LMDB change log keeps (`Options.changeLogRetention`).
    let changeLogRetention: Int
    /// How the change feed follows another store (etcd's watch); `nil` on LMDB, which is polled.
    let watcher: (any KeyspaceWatching)?
    /// The node-local read cache of another store (etcd), which `read` tries first; never used by writes.
    let mirror: (any MirroredReading)?
    /// The timers of `read` and the writes, made once at open.
    let metrics: CatalogMetrics

    init(
        path: String, catalogID: [UInt8], schemaVersion: Int, backend: CatalogBackend, databases: CatalogDatabases,
        keys: KeyState, options: Options, wasCreatedByOpen: Bool = false, watcher: (any KeyspaceWatching)? = nil,
        mirror: (any MirroredReading)? = nil
    ) {
        self.changeLogRetention = options.changeLogRetention
        self.watcher = watcher
        self.mirror = mirror
        self.path = path
        self.catalogID = catalogID
        self.schemaVersion = schemaVersion
        self.backend = backend
        self.wasCreatedByOpen = wasCreatedByOpen
        self.databases = databases
        self.keys = keys
        self.creator = options.creator
        self.logger = options.logger
        self.metrics = CatalogMetrics(backend: backend)
    }

    /// The catalog id as 32 hex digits.
    package var catalogIDHex: String { Hex.encode(catalogID) }

    /// The schema version this program writes; older catalogs are migrated to it at open.
    package static var currentSchemaVersion: Int { SchemaHistory.currentVersion }

    /// Runs `body` on one consistent snapshot of the catalog.
    ///
    /// On a store with a node-local read cache (etcd with `readCacheKeyspaces`), the snapshot comes from the cache
    /// when it can serve: one revision, never older than this process's own last write, possibly a moment behind
    /// other nodes' writes. Reads inside a write (`writeBlocking`, `write`, `CatalogTransaction`) always read the
    /// store itself.
    ///
    /// - Throws: `CatalogError` only, so a caller's `catch` needs no cast: what `body` throws when it is one,
    ///   unchanged; a storage or sealing failure mapped; any other error of `body` as `.aborted`, with the error
    ///   as `underlying`. (`body` itself throws untyped: Swift 6.3 does not infer a closure's typed throws from
    ///   its context, so a typed body would make every caller annotate its closure.)
    public func read<R>(_ body: (CatalogReader) throws -> R) throws(CatalogError) -> R {
        do {
            let started = metrics.start()
            defer { metrics.record(.read, since: started) }
            switch backend {
            case .lmdb(let environment):
                return try environment.read { tx in try body(CatalogReader(tx: tx, catalog: self)) }
            case .store(let store):
                if let mirror,
                    let result = try mirror.readMirrored({ snapshot in
                        try body(CatalogReader(store: snapshot, catalog: self))
                    })
                {
                    return result
                }
                return try store.read { snapshot in try body(CatalogReader(store: copy snapshot, catalog: self)) }
            }
        } catch {
            throw .fromBody(error, doing: "reading the catalog")
        }
    }

    /// Runs `body` in one write transaction, blocking the calling thread until it is on disk: every change it
    /// makes commits together when it returns, and none does if it throws.
    ///
    /// For threads that may block (the CLI, tools, tests). Async code calls `write(_:)`, which never blocks the
    /// cooperative pool and shares commits; the two have different names so that one is never taken for the
    /// other. The body may run more than once (the storage map grew, or a commit on another store conflicted), so it must have no effects outside the
    /// catalog.
    ///
    /// - Throws: `CatalogError` only, so a caller's `catch` needs no cast: what `body` throws when it is one,
    ///   unchanged; a storage or sealing failure mapped; any other error of `body` as `.aborted`, with the error
    ///   as `underlying`. (`body` itself throws untyped: Swift 6.3 does not infer a closure's typed throws from
    ///   its context, so a typed body would make every caller annotate its closure.)
    @discardableResult
    public func writeBlocking<R>(_ body: (CatalogWriter) throws -> R) throws(CatalogError) -> R {
        do {
            let started = metrics.start()
            defer { metrics.record(.writeBlocking, since: started) }
            switch backend {
            case .lmdb(let environment):
                return try environment.writeBlocking { tx in
                    try body(try CatalogWriter(tx: .direct(copy tx), catalog: self))
                }
            case .store(let store):
                return try store.writeBlocking { writer in
                    try body(try CatalogWriter(tx: .store(copy writer), catalog: self))
                }
            }
        } catch {
            throw .fromBody(error, doing: "writing the catalog")
        }
    }

    /// Runs `body` in a write on the storage's writer executor, sharing its commit with the other async writes
    /// waiting at the same moment (group commit); if `body` throws, only its own changes roll back. Resumes
    /// after the commit is on disk; the calling task's thread is never blocked.
    ///
    /// The body may run more than once (the storage map grew, or a commit on another store conflicted), so it must have no effects outside the catalog.
    ///
    /// - Throws: `CatalogError` only, so a caller's `catch` needs no cast: what `body` throws when it is one,
    ///   unchanged; a storage or sealing failure mapped; any other error of `body` as `.aborted`, with the error
    ///   as `underlying`. (`body` itself throws untyped: Swift 6.3 does not infer a closure's typed throws from
    ///   its context, so a typed body would make every caller annotate its closure.)
    @discardableResult
    public func write<R: Sendable>(
        _ body: @escaping @Sendable (CatalogWriter) throws -> R
    ) async throws(CatalogError) -> R {
        do {
            let started = metrics.start()
            defer { metrics.record(.write, since: started) }
            switch backend {
            case .lmdb(let environment):
                return try await environment.write { tx in
                    try body(try CatalogWriter(tx: .direct(copy tx), catalog: self))
                }
            case .store(let store):
                return try await store.write { writer in
                    try body(try CatalogWriter(tx: .store(copy writer), catalog: self))
                }
            }
        } catch {
            throw .fromBody(error, doing: "writing the catalog")
        }
    }

    /// Starts an optimistic transaction: its steps read the newest committed state under the transaction's own
    /// pending changes, and `commit` writes them all at once if nothing they read has changed meanwhile.
    ///
    /// No storage transaction or lock is held between steps, so a transaction may stay open while a person types.
    public func beginTransaction() -> CatalogTransaction { CatalogTransaction(catalog: self) }

    /// The value of catalog setting `name`, if set.
    package func setting(_ name: String) throws(CatalogError) -> String? {
        try read { reader in try reader.setting(name) }
    }

    /// Sets (or, with `nil`, removes) catalog setting `name`.
    ///
    /// - Throws: `.invalidValue` if `name` is not lower-case letters, digits, `_` and `.`.
    package func setSetting(_ name: String, to value: String?) throws(CatalogError) {
        try writeBlocking { writer in try writer.setSetting(name, to: value) }
    }

    /// All settings, in name order.
    package func settings() throws(CatalogError) -> [(name: String, value: String)] {
        try read { reader in try reader.settings() }
    }
}
