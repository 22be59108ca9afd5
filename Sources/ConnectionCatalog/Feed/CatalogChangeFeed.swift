internal import CatalogStorage

/// The committed changes of a catalog after a revision, in revision order, each once: what every node of a
/// service follows to drop what it cached (`Catalog.changes(after:)`).
///
/// Iterating never ends by itself: it waits for the next change. On LMDB it reads the change log, looking again
/// every `pollInterval` while nothing is new (a read costs microseconds and takes no lock a writer waits for);
/// on etcd it follows a watch, which moves to another member without losing or repeating a change. Cancel the
/// iterating task to stop. A `.reset` says that changes were lost to the log's trimming or to compaction (or the
/// catalog went back in time): drop the whole cache.
public struct CatalogChangeFeed: AsyncSequence, Sendable {
    public typealias Element = CatalogFeedEvent
    /// What iterating throws: `for try await` over the feed catches a `CatalogError`, without a cast.
    public typealias Failure = CatalogError

    let catalog: Catalog
    let after: UInt64
    let through: UInt64?
    let pollInterval: Duration

    public func makeAsyncIterator() -> Iterator {
        Iterator(catalog: catalog, position: after, through: through, pollInterval: pollInterval)
    }

    /// Reads the feed. Not `Sendable`: one task iterates.
    public struct Iterator: AsyncIteratorProtocol {
        let catalog: Catalog
        /// Everything up to here has been handed out (or is in `pending`).
        var position: UInt64
        /// Where a bounded feed ends.
        let through: UInt64?
        let pollInterval: Duration
        var pending: [CatalogFeedEvent] = []
        var watch: AsyncThrowingStream<WatchedCommit, any Error>.AsyncIterator?

        init(catalog: Catalog, position: UInt64, through: UInt64?, pollInterval: Duration) {
            self.catalog = catalog
            self.position = position
            self.through = through
            self.pollInterval = pollInterval
        }

        /// The next event, waiting for it; `nil` when the task is cancelled or a bounded feed is done.
        ///
        /// - Throws: `CatalogError` — `.unsupported` when the catalog keeps no change log, `.integrityError` for a
        ///   damaged entry, `.ioError` when the store fails for good.
        public mutating func next() async throws(CatalogError) -> CatalogFeedEvent? {
            do {
                return try await nextEvent()
            } catch {
                throw .wrapping(error, doing: "following the change feed")
            }
        }

        private mutating func nextEvent() async throws -> CatalogFeedEvent? {
            while pending.isEmpty {
                if Task.isCancelled { return nil }
                if let through, position >= through { return nil }
                switch catalog.backend {
                case .lmdb(let environment):
                    try readLog(environment)
                    if let through {
                        pending.removeAll { $0.revision > through }
                        position = Swift.min(position, through)
                        if pending.isEmpty { return nil }
                    } else if pending.isEmpty {
                        do { try await Task.sleep(for: pollInterval) } catch { return nil }
                    }
                case .store:
                    if let through {
                        try readCommitted(through: through)
                    } else {
                        guard try await readWatch() else { return nil }
                    }
                }
            }
            return pending.removeFirst()
        }

        private mutating func readLog(_ environment: Environment) throws {
            let databases = catalog.databases
            let after = position
            let read: (events: [CatalogFeedEvent], position: UInt64)
            do {
                read = try environment.read { tx in
                    try ChangeLog.events(after: after, limit: 512, in: tx, databases: databases)
                }
            } catch {
                throw CatalogError.fromLowerLayer(error, doing: "reading the change log")
            }
            pending = read.events
            position = read.position
        }

        /// Takes every entry after `position` up to `through` into `pending`, read at once (no watch).
        private mutating func readCommitted(through: UInt64) throws {
            guard let log = catalog.databases.changes else { throw ChangeLog.noLog() }
            guard let watcher = catalog.watcher else { throw Catalog.noWatch(catalog.path) }
            let commits: [WatchedCommit]
            do {
                commits = try watcher.committed(
                    log, after: Int64(clamping: position), through: Int64(clamping: through))
            } catch {
                throw CatalogError.fromLowerLayer(error, doing: "reading the change log")
            }
            // Entries trimmed after the position cannot be read any more: say so first.
            let trimmed = try catalog.trimmedThrough()
            if trimmed > position { pending.append(.reset(revision: Swift.min(trimmed, through))) }
            for commit in commits {
                switch commit {
                case .compacted(let revision):
                    // The store cannot tell these entry by entry (another generation went live, etcd).
                    pending.append(.reset(revision: UInt64(revision)))
                case .entries(let revision, let entries):
                    pending += try entries.map { .change(try ChangeEntry.decode($0.value, revision: UInt64(revision))) }
                }
            }
            position = through
        }

        /// Takes the watch's next commit into `pending`; `false` when the watch ended (cancelled).
        private mutating func readWatch() async throws -> Bool {
            guard let log = catalog.databases.changes else { throw ChangeLog.noLog() }
            guard let watcher = catalog.watcher else { throw Catalog.noWatch(catalog.path) }
            if watch == nil { watch = watcher.watch(log, after: Int64(clamping: position)).makeAsyncIterator() }
            let commit: WatchedCommit?
            do {
                commit = try await watch!.next()
            } catch {
                throw CatalogError.fromLowerLayer(error, doing: "following the change feed")
            }
            switch commit {
            case nil:
                return false
            case .compacted(let revision):
                pending = [.reset(revision: UInt64(revision))]
                position = UInt64(revision)
            case .entries(let revision, let entries):
                pending = try entries.map { .change(try ChangeEntry.decode($0.value, revision: UInt64(revision))) }
                position = UInt64(revision)
            }
            return true
        }
    }
}

@available(*, unavailable)
extension CatalogChangeFeed.Iterator: Sendable {}

extension Catalog {
    /// The changes committed after `revision`, in revision order, each once (see `CatalogChangeFeed`).
    ///
    /// Start from `latestChangeRevision()` to hear only what changes from now on, or from the revision of the
    /// last event handled to resume. `pollInterval` is how often an LMDB catalog's log is read again while
    /// nothing is new; etcd is watched, not polled.
    public func changes(after revision: UInt64, pollInterval: Duration = .milliseconds(10)) -> CatalogChangeFeed {
        CatalogChangeFeed(catalog: self, after: revision, through: nil, pollInterval: pollInterval)
    }

    /// The changes committed after `revision` up to and including `through` (a `latestChangeRevision()`), then
    /// the end of the sequence: what the log holds now, without waiting. On etcd it is one range read, which
    /// needs no history, so compaction costs it nothing.
    package func changes(after revision: UInt64, through: UInt64) -> CatalogChangeFeed {
        CatalogChangeFeed(catalog: self, after: revision, through: through, pollInterval: .zero)
    }

    /// Deletes the change log's entries up to and including `revision`: a feed resumed after an earlier revision
    /// then starts with `.reset`. On LMDB the log also trims itself (`Options.changeLogRetention`); on etcd this
    /// is how the log is kept from growing (run it from one node now and then, with a revision every follower
    /// has passed). Safe to run again; writers go on meanwhile.
    ///
    /// - Returns: how many entries were deleted.
    /// - Throws: `CatalogError` `.unsupported` when the catalog keeps no change log; a storage failure.
    @discardableResult
    public func trimChangeLog(through revision: UInt64) throws(CatalogError) -> Int {
        guard let log = databases.changes else { throw ChangeLog.noLog() }
        let meta = databases.meta
        do {
            switch backend {
            case .lmdb(let environment):
                return try environment.writeBlocking { tx in
                    var keys: [[UInt8]] = []
                    try tx.scan(log, in: KeyRange(from: ChangeLog.firstEntryKey, to: BigEndian.bytes(revision + 1))) {
                        key, _ in
                        keys.append(Array(key))
                        return true
                    }
                    for key in keys { try tx.delete(RecordKey(key), in: log) }
                    return keys.count
                }
            case .store:
                guard let watcher else { throw Self.noWatch(path) }
                // The mark first: a reader that sees entries gone also sees why.
                try writeStorage { writer in
                    let stored =
                        try writer.get(MetaKey.key(MetaKey.changesTrimmed), in: meta).flatMap(BigEndian.uint64) ?? 0
                    if revision > stored {
                        try writer.put(BigEndian.bytes(revision), for: MetaKey.key(MetaKey.changesTrimmed), in: meta)
                    }
                }
                return try watcher.deleteEntries(log, through: Int64(clamping: revision))
            }
        } catch {
            throw .wrapping(error, doing: "trimming the change log")
        }
    }

    /// The revision through which the change log on a store was trimmed (0 if never).
    func trimmedThrough() throws -> UInt64 {
        try read { reader in
            switch reader.access {
            case .lmdb: return 0
            case .store(let queries):
                return try queries.tx.get(MetaKey.key(MetaKey.changesTrimmed), in: databases.meta).flatMap(
                    BigEndian.uint64) ?? 0
            }
        }
    }

    static func noWatch(_ path: String) -> CatalogError {
        CatalogError(
            .unsupported, "the store of \(path) cannot be watched, so it has no change feed",
            details: ["reason": "no_watch"])
    }

    /// The revision of the newest change: the change log's newest sequence number on LMDB, the cluster's
    /// newest revision on etcd.
    ///
    /// - Throws: `CatalogError` `.unsupported` when the catalog keeps no change log; a storage failure.
    public func latestChangeRevision() throws(CatalogError) -> UInt64 {
        guard databases.changes != nil else { throw ChangeLog.noLog() }
        do {
            switch backend {
            case .lmdb(let environment):
                let log = databases.changes!
                return try environment.read { tx in try ChangeLog.lastSequence(in: tx, log: log) }
            case .store:
                guard let watcher else { throw Self.noWatch(path) }
                return UInt64(try watcher.newestRevision())
            }
        } catch {
            throw .wrapping(error, doing: "reading the change log's newest revision")
        }
    }
}
