internal import CatalogStorage

/// An optimistic transaction over the catalog: a set of pending changes over the newest committed state,
/// committed at once as one change set.
///
/// Each `step` (one SQL statement, say) runs once, on a fresh snapshot under the transaction's pending changes,
/// and its changes join them; values it generates (external IDs, sealed bytes, ids, times) are kept exactly as
/// the step made them. Nothing is replayed and no lock is held between steps, so the cost of a step does not
/// grow with the transaction. `commit` writes everything if no connection, name or setting the transaction read
/// has changed since; otherwise it writes nothing and throws `.conflict`. A key read twice gives the same
/// answer both times.
///
/// Not `Sendable`: one caller drives it. After `commit` (successful or not) or `rollback` it is finished.
public final class CatalogTransaction {
    package let catalog: Catalog
    private let builder = ChangeSetBuilder()
    /// Whether `commit` or `rollback` has ended the transaction.
    package private(set) var isFinished = false

    init(catalog: Catalog) { self.catalog = catalog }

    /// The number of keys (records, name index entries, history entries) the pending changes write.
    package var pendingWriteCount: Int { builder.pendingWriteCount }

    /// Runs one step: `body` reads the committed state under this transaction's pending changes and adds its
    /// own. If `body` throws, the step's changes are undone and the earlier steps' stay.
    ///
    /// - Throws: `CatalogError` only, as `Catalog.read(_:)` says.
    @discardableResult
    public func step<R>(_ body: (CatalogWriter) throws -> R) throws(CatalogError) -> R {
        precondition(!isFinished, "this transaction has ended; begin another")
        do {
            switch catalog.backend {
            case .lmdb(let environment):
                return try environment.stage(builder) { staged in
                    try body(try CatalogWriter(tx: .staged(staged), catalog: catalog))
                }
            case .store(let store):
                return try store.stage(builder) { staged in
                    try body(try CatalogWriter(tx: .store(AnyStorageWriting(staged)), catalog: catalog))
                }
            }
        } catch {
            throw .fromBody(error, doing: "running a step of a transaction")
        }
    }

    /// Commits the pending changes, blocking until they are on disk (for threads that may block).
    ///
    /// - Throws: `CatalogError` `.conflict` if anything the transaction read has changed; nothing is written.
    package func commitBlocking() throws(CatalogError) {
        let changes = finish()
        do {
            switch catalog.backend {
            case .lmdb(let environment):
                // The change log's entries get their sequence numbers in the commit's own LMDB transaction.
                if let log = catalog.databases.changes, let split = ChangeLog.splitPending(changes, log: log) {
                    let (databases, retention) = (catalog.databases, catalog.changeLogRetention)
                    try environment.commitBlocking(split.rest) { tx in
                        try ChangeLog.append(split.entries, in: copy tx, databases: databases, retention: retention)
                    }
                } else {
                    try environment.commitBlocking(changes)
                }
            case .store(let store): try store.commitBlocking(changes)
            }
        } catch {
            throw conflictOrWrapped(error)
        }
    }

    /// Commits the pending changes on the storage's writer, sharing a commit with other async writes; resumes
    /// once they are on disk.
    ///
    /// - Throws: `CatalogError` `.conflict` if anything the transaction read has changed; nothing is written.
    public func commit() async throws(CatalogError) {
        let changes = finish()
        do {
            switch catalog.backend {
            case .lmdb(let environment):
                if let log = catalog.databases.changes, let split = ChangeLog.splitPending(changes, log: log) {
                    let (databases, retention) = (catalog.databases, catalog.changeLogRetention)
                    try await environment.commit(split.rest) { tx in
                        try ChangeLog.append(split.entries, in: copy tx, databases: databases, retention: retention)
                    }
                } else {
                    try await environment.commit(changes)
                }
            case .store(let store): try await store.commit(changes)
            }
        } catch {
            throw conflictOrWrapped(error)
        }
    }

    /// Discards the pending changes.
    public func rollback() {
        isFinished = true
    }

    private func finish() -> ChangeSet {
        precondition(!isFinished, "this transaction has ended; begin another")
        isFinished = true
        return builder.changeSet()
    }

    /// `.conflict` naming the connection whose read no longer held, when the store can say which it was.
    private func conflictOrWrapped(_ error: any Error) -> CatalogError {
        guard let storage = error as? StorageError, storage.code == .conflict else {
            return .wrapping(error, doing: "committing the transaction")
        }
        let databases = catalog.databases
        var name: String?
        if storage.keyspace == databases.names.name, let key = storage.key {
            name = try? CatalogKeys.names(fromNameKey: key).name.rawValue
        } else if storage.keyspace == databases.connections.name, let key = storage.key,
            let record = builder.firstRead(of: key, in: databases.connections)?.value
        {
            name = try? ConnectionRecord.decode(record).name.rawValue
        }
        guard let name else {
            return CatalogError(
                .conflict,
                "another writer changed what this transaction read (\(storage.keyspace ?? "the catalog")) after it "
                    + "read it; nothing of the transaction was written",
                underlying: storage)
        }
        return CatalogError(
            .conflict,
            "connection '\(name)' was changed by someone else after this transaction read it; nothing of the "
                + "transaction was written",
            details: ["name": name], underlying: storage)
    }
}

@available(*, unavailable)
extension CatalogTransaction: Sendable {}
