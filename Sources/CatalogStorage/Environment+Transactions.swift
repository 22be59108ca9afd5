internal import CLMDB
internal import Logging
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

extension Environment {
    /// Runs `body` on one consistent snapshot. Any thread, many at once.
    ///
    /// - Throws: what `body` throws, or `StorageError` if the snapshot cannot begin (e.g. `.readersFull`).
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        let reader = try beginRead()
        defer { endRead(reader) }
        return try body(ReadTransaction(txn: reader.txn, lease: reader.lease))
    }

    /// Begins a read: a pooled, reset transaction renewed (no allocation, its reader slot kept), else a new one.
    private func beginRead() throws(StorageError) -> PooledReader {
        while true {
            gate.enter()
            if let pooled = readerPool.withLock({ $0.popLast() }) {
                let rc = mdb_txn_renew(pooled.txn)
                if rc == 0 {
                    pooled.lease.reopen()
                    return pooled
                }
                mdb_txn_abort(pooled.txn)
                gate.leave()
                guard rc == MDB_MAP_RESIZED else { throw StorageError(lmdbCode: rc, operation: "mdb_txn_renew") }
                try adoptMapSize()
                continue
            }
            var raw: OpaquePointer?
            let rc = mdb_txn_begin(handle.pointer, nil, UInt32(MDB_RDONLY), &raw)
            if rc == 0, let txn = raw { return PooledReader(txn: txn, lease: TransactionLease()) }
            gate.leave()
            guard rc == MDB_MAP_RESIZED else { throw StorageError(lmdbCode: rc, operation: "mdb_txn_begin") }
            try adoptMapSize()
        }
    }

    /// Ends a read: resets the transaction and keeps it for the next read, up to `maxPooledReaders`.
    private func endRead(_ reader: PooledReader) {
        reader.lease.end()
        mdb_txn_reset(reader.txn)
        let kept = readerPool.withLock { pool in
            guard pool.count < Self.maxPooledReaders else { return false }
            pool.append(reader)
            return true
        }
        if !kept { mdb_txn_abort(reader.txn) }
        gate.leave()
    }

    /// Runs `body` in a write transaction that commits when `body` returns and aborts when it throws.
    ///
    /// The body may run more than once: when the map is full the attempt is aborted, the map doubled and the
    /// body run again. It must therefore have no effect outside its transaction. Write transactions are not
    /// reentrant: calling `write` inside a write body on the same thread is a programming error and traps.
    public func writeBlocking<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        let me = UInt(bitPattern: Int(bitPattern: UInt(pthread_self())))
        precondition(
            writerThread.load(ordering: .relaxed) != me,
            "write transactions are not reentrant; use the transaction you have")
        writerLock.lock()
        writerThread.store(me, ordering: .relaxed)
        defer {
            writerThread.store(0, ordering: .relaxed)
            writerLock.unlock()
        }
        // Across processes: the data file's writer lock, which holds even if lock.mdb was deleted, and a check
        // that lock.mdb is still the file LMDB opened (else other processes' readers are invisible to this writer).
        let crossProcess = options.readOnly ? nil : processLock
        try crossProcess?.lockWriter()
        defer { crossProcess?.unlockWriter() }
        while true {
            let state = WriteState()
            do {
                return try attemptWrite(state: state, body)
            } catch {
                guard state.mapFull else { throw error }
                try growMap()
            }
        }
    }

    /// One attempt: begin, run, commit.
    private func attemptWrite<R>(state: WriteState, _ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        let txn = try beginTransaction(parent: nil, flags: 0)
        defer { gate.leave() }
        let result = try runThenCommit(txn, state, body)
        commits.add(1, ordering: .relaxed)
        metrics.noteCommit()
        register(state.createdDatabases)
        return result
    }

    /// Runs `body` on `txn` and commits it; aborts it instead when the body throws or LMDB reported a full map
    /// (the attempt is then re-run by `write`). A failed commit has already freed the transaction.
    private func runThenCommit<R>(
        _ txn: OpaquePointer, _ state: WriteState, _ body: (borrowing WriteTransaction) throws -> R
    ) throws -> R {
        let result: R
        do {
            result = try body(WriteTransaction(txn: txn, state: state))
        } catch {
            state.lease.end()
            mdb_txn_abort(txn)
            if !state.mapFull { metrics.noteFailure(error) }
            throw error
        }
        state.lease.end()
        if state.mapFull {
            mdb_txn_abort(txn)
            throw StorageError(lmdbCode: MDB_MAP_FULL, operation: "mdb_put")
        }
        let rc = mdb_txn_commit(txn)
        if rc == MDB_MAP_FULL { state.noteMapFull() }
        if rc != 0 { throw explainingFullDisk(StorageError(lmdbCode: rc, operation: "mdb_txn_commit")) }
        return result
    }

    /// Runs `body` in a transaction nested in `parent`: its changes join the parent's when it returns and are
    /// rolled back alone when it throws.
    func nested<R>(in parent: borrowing WriteTransaction, _ body: (borrowing WriteTransaction) throws -> R) throws -> R
    {
        var raw: OpaquePointer?
        let rc = mdb_txn_begin(handle.pointer, parent.txn, 0, &raw)
        if rc == MDB_MAP_FULL { parent.state.noteMapFull() }
        if rc != 0 { throw StorageError(lmdbCode: rc, operation: "mdb_txn_begin") }
        guard let txn = raw else { preconditionFailure("mdb_txn_begin succeeded without a transaction") }
        let state = WriteState(parent: parent.state)
        let result = try runThenCommit(txn, state, body)
        parent.state.createdDatabases += state.createdDatabases
        return result
    }

    /// How many reset read transactions the environment keeps for reuse. Each keeps its reader slot (that is
    /// how LMDB's `MDB_NOTLS` mode works), so this stays well below the 512 slots.
    static let maxPooledReaders = 32

    /// Begins a top-level transaction registered with the gate, adopting a map another process grew.
    /// The caller must `gate.leave()` once the transaction has ended.
    private func beginTransaction(parent: OpaquePointer?, flags: UInt32) throws(StorageError) -> OpaquePointer {
        while true {
            gate.enter()
            var raw: OpaquePointer?
            let rc = mdb_txn_begin(handle.pointer, parent, flags, &raw)
            if rc == 0, let txn = raw { return txn }
            gate.leave()
            guard rc == MDB_MAP_RESIZED else { throw StorageError(lmdbCode: rc, operation: "mdb_txn_begin") }
            try adoptMapSize()
        }
    }

    /// Doubles the map once no transaction of this process is live. Wraps `mdb_env_set_mapsize`.
    private func growMap() throws {
        try gate.exclusively("mdb_env_set_mapsize") {
            let current = mapInfo().mapSize
            let next = current * 2
            try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(handle.pointer, next) }
            metrics.noteMapGrowth()
            logger.info("grew the map", metadata: ["from": "\(current)", "to": "\(next)", "path": "\(path)"])
        }
    }

    /// Adopts the map size another process set (`mdb_env_set_mapsize(env, 0)`).
    private func adoptMapSize() throws(StorageError) {
        do {
            try gate.exclusively("mdb_env_set_mapsize") {
                try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(handle.pointer, 0) }
            }
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("adopting the map size throws only StorageError: \(error)")
        }
    }

    /// Makes databases created by a committed transaction available through `database(_:)`.
    private func register(_ created: [Database]) {
        guard !created.isEmpty else { return }
        databases.withLock { known in
            for database in created { known[database.name] = database }
        }
    }

    /// The map size and last page in use, from `mdb_env_info`.
    func mapInfo() -> (mapSize: Int, lastPage: Int, maxReaders: Int, readerSlotsUsed: Int) {
        var info = MDB_envinfo()
        mdb_env_info(handle.pointer, &info)
        return (info.me_mapsize, info.me_last_pgno, Int(info.me_maxreaders), Int(info.me_numreaders))
    }
}
