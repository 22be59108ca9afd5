/// The storage contract the catalog is written against: a store opened with declared keyspaces, snapshot
/// reads, writes that see their own pending changes, and the commit of a change set.
///
/// LMDB (`Environment`) implements it with its single writer and group commit; a distributed backend
/// implements it with compare-and-swap transactions. Blocking and async entry points have different names
/// (`writeBlocking` / `write`, `commitBlocking` / `commit`), so a caller cannot get one while meaning the
/// other. Backend-only capabilities live in `StorageMaintenance`.
public protocol TransactionalStore: AnyObject, Sendable {
    associatedtype Snapshot: StorageReading
    associatedtype Writer: StorageWriting

    /// The handle of keyspace `name`, declared when the store opened.
    ///
    /// - Throws: `StorageError` `.unknownDatabase` if the store was not opened with it.
    func keyspace(_ name: String) throws(StorageError) -> Keyspace

    /// Runs `body` on one consistent snapshot. Any thread, many at once; never waits for a writer.
    func read<R>(_ body: (borrowing Snapshot) throws -> R) throws -> R

    /// Runs `body` in a write that commits when it returns and writes nothing when it throws, blocking the
    /// calling thread until it is durable. The body may run more than once, so it has no effects outside
    /// its write.
    func writeBlocking<R>(_ body: (borrowing Writer) throws -> R) throws -> R

    /// `writeBlocking` for async callers: the body runs on the store's writer, may share its commit with other
    /// async writes, and the caller resumes once the commit is durable. A body that throws rolls back alone.
    func write<R: Sendable>(_ body: @escaping @Sendable (borrowing Writer) throws -> R) async throws -> R

    /// Commits `changes` atomically if every version it read still holds, blocking until it is durable.
    ///
    /// - Throws: `StorageError` `.conflict` (nothing written) if another writer changed what it read.
    func commitBlocking(_ changes: ChangeSet) throws

    /// `commitBlocking` for async callers; shares a commit with other async writes.
    func commit(_ changes: ChangeSet) async throws
}

extension TransactionalStore {
    /// Runs `body` as one optimistic step over a fresh snapshot and `builder`'s pending changes.
    public func stage<R>(_ builder: ChangeSetBuilder, _ body: (StagedWrite<Snapshot>) throws -> R) throws -> R {
        try read { snapshot in try builder.stage(over: copy snapshot, body) }
    }
}

/// What only some backends can do, asked for by backup and `catalog stats`, never by the catalog's reads and
/// writes: a consistent copy of the files, and statistics of the storage itself.
public protocol StorageMaintenance: Sendable {
    /// Writes a consistent copy of the store, while writers go on, to the file `destination`.
    @discardableResult
    func copy(to destination: String, compact: Bool) throws(StorageError) -> Environment.CopyResult
    /// Size and use of the storage.
    func stats() throws -> EnvironmentStats
}

extension Environment: TransactionalStore, StorageMaintenance {
    public typealias Snapshot = ReadTransaction
    public typealias Writer = WriteTransaction

    public func keyspace(_ name: String) throws(StorageError) -> Keyspace { try database(name) }

    /// Validates and applies `changes` in one write transaction.
    public func commitBlocking(_ changes: ChangeSet) throws {
        let halfway: (() -> Void)? = FailPoint.killsMidCommit ? { FailPoint.killProcess() } : nil
        try writeBlocking { tx in try tx.validateAndApply(changes, halfway: halfway) }
    }

    /// Validates and applies `changes` in a nested transaction of the next group commit.
    public func commit(_ changes: ChangeSet) async throws {
        try await write { tx in try tx.validateAndApply(changes) }
    }
}
