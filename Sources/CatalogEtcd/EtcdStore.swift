public import CatalogStorage
internal import Foundation
internal import Synchronization

/// The storage contract (`TransactionalStore`) on an etcd cluster, so that several nodes of the metadata
/// service share one catalog (DESIGN §9).
///
/// Keys live under `/<prefix>/<keyspace>/` (`EtcdKeyLayout`); a snapshot reads at one revision
/// (`EtcdSnapshot`); a write runs its body on a `StagedWrite` over a snapshot and commits the change set as one
/// `Txn` of per-key revision compares (`EtcdCommitPlan`), running the body again when that conflicts. The
/// client speaks JSON to etcd's v3 gateway and moves on to the next endpoint when a member does not answer.
///
/// **Blocking.** `read`, `writeBlocking` and `commitBlocking` block the calling thread for each HTTP call
/// (milliseconds on a healthy cluster, up to `Options.giveUpAfter` when none answers). `write` and `commit` run
/// the same work on threads of their own, so the cooperative pool never waits on the network, and group
/// concurrent commits into shared `Txn`s (`EtcdCommitGroups`).
public final class EtcdStore: TransactionalStore {
    public typealias Snapshot = EtcdSnapshot
    public typealias Writer = StagedWrite<EtcdSnapshot>

    let client: EtcdClient
    /// The live generation as last seen, and its layout (`EtcdGeneration`).
    let generations: EtcdGenerationState
    /// The layout of the live generation as last seen.
    var layout: EtcdKeyLayout { generations.current.layout }
    let options: Options
    private let keyspaces: [String: Keyspace]
    private let tokenLease: CommitTokenLease
    /// The node-local copy `readMirrored` serves, when `Options.readCacheKeyspaces` names any keyspace.
    let mirror: EtcdMirror?
    private let committer: EtcdCommitter
    private let groups: EtcdCommitGroups
    /// Groups the first reads of concurrent writes' snapshots (`EtcdReadGroups`).
    private let readGroups: EtcdReadGroups
    /// Counts serializable snapshots, each of which starts at the next member (`snapshot(serializable:)`).
    private let nextReadMember = Atomic<UInt64>(0)

    /// Opens the catalog under `prefix` on the cluster whose client URLs are `endpoints`
    /// (`http://127.0.0.1:2379`), checking that a member answers.
    ///
    /// - Throws: `StorageError` `.invalidArgument` for a bad endpoint, prefix or keyspace name; `.unavailable` if
    ///   no member answers.
    public static func open(endpoints: [String], prefix: String, options: Options) throws(StorageError) -> EtcdStore {
        let urls = endpoints.compactMap { URL(string: $0) }.filter { $0.scheme == "http" && $0.host != nil }
        guard !endpoints.isEmpty, urls.count == endpoints.count else {
            throw invalid(
                "etcd endpoints must be one or more http:// URLs, e.g. http://127.0.0.1:2379 (TLS is not supported yet)"
            )
        }
        guard !prefix.isEmpty, !prefix.contains("/") else {
            throw invalid("an etcd catalog prefix is one non-empty path segment without '/'")
        }
        for name in options.keyspaces where name.isEmpty || name.contains("/") || name.hasPrefix("_") {
            throw invalid("keyspace name '\(name)' must be non-empty, without '/', and not start with '_'")
        }
        for name in options.readCacheKeyspaces where !options.keyspaces.contains(name) {
            throw invalid("read-cache keyspace '\(name)' is not one of the store's keyspaces")
        }
        guard !options.keyspaces.isEmpty, Set(options.keyspaces).count == options.keyspaces.count else {
            throw invalid("an etcd store needs one or more keyspaces, with distinct names")
        }
        let store = EtcdStore(endpoints: urls, prefix: prefix, options: options)
        // The first read also resolves the live generation.
        let snapshot = EtcdSnapshot(
            client: store.client, layout: store.layout, generations: store.generations, pageSize: 1)
        _ = try snapshot.count(of: try store.keyspace(options.keyspaces[0]))
        return store
    }

    private init(endpoints: [URL], prefix: String, options: Options) {
        self.options = options
        client = EtcdClient(
            endpoints: endpoints, requestTimeout: options.requestTimeout.seconds,
            giveUpAfter: options.giveUpAfter.seconds, dropsAnswer: options.dropsAnswer)
        let firstLayout = EtcdKeyLayout(prefix: prefix, keyspaces: options.keyspaces)
        generations = EtcdGenerationState(layout: firstLayout)
        var keyspaces: [String: Keyspace] = [:]
        for (index, name) in options.keyspaces.enumerated() {
            keyspaces[name] = Keyspace(name: name, handle: UInt32(index))
        }
        self.keyspaces = keyspaces
        tokenLease = CommitTokenLease(client: client, ttl: Int64(options.commitTokenTTL))
        let mirrored = options.readCacheKeyspaces.compactMap { keyspaces[$0] }
        mirror =
            mirrored.isEmpty
            ? nil
            : EtcdMirror(
                client: client, layout: firstLayout, mirrored: mirrored, keyspaceCount: options.keyspaces.count,
                pageSize: options.scanPageSize, giveUpAfter: options.giveUpAfter.seconds,
                connectTimeout: options.requestTimeout.seconds, maxWait: options.readCacheMaxWait.seconds)
        committer = EtcdCommitter(
            client: client, generations: generations, tokenLease: tokenLease, maxOperations: options.maxTxnOperations,
            maxBytes: options.maxRequestBytes)
        groups = EtcdCommitGroups(committer: committer, lanes: options.commitLanes, maxMembers: options.maxGroupMembers)
        readGroups = EtcdReadGroups(client: client, lanes: options.readLanes, maxOperations: options.maxTxnOperations)
    }

    deinit { mirror?.stop() }

    /// The endpoint the next request tries first: the member that answered last.
    package var currentEndpoint: String { client.currentEndpoint }

    public func keyspace(_ name: String) throws(StorageError) -> Keyspace {
        guard let keyspace = keyspaces[name] else {
            throw StorageError(
                code: .unknownDatabase, operation: "keyspace",
                message: "keyspace '\(name)' was not declared when the etcd store opened; add it to Options.keyspaces")
        }
        return keyspace
    }

    /// Runs `body` on a snapshot at one revision (learned from its first read). Blocks the calling thread
    /// for each read.
    public func read<R>(_ body: (borrowing EtcdSnapshot) throws -> R) throws -> R {
        try body(snapshot(serializable: false))
    }

    /// Runs `body` on a staged write over a fresh snapshot and commits its change set; on a conflict runs it
    /// again, up to `Options.maxWriteAttempts` times. The body may run more than once, so it has no effects
    /// outside its write. Blocks the calling thread.
    ///
    /// The first run reads serializably (`staged(_:firstTry:)`); a run after a conflict reads linearizably.
    ///
    /// - Throws: the body's error (nothing written); `StorageError` `.conflict` if every attempt conflicted.
    public func writeBlocking<R>(_ body: (borrowing StagedWrite<EtcdSnapshot>) throws -> R) throws -> R {
        var attempt = 1
        while true {
            let (result, changes) = try staged({ staged in try body(staged) }, firstTry: attempt == 1)
            do {
                try commitBlocking(changes)
                return result
            } catch let error as StorageError where error.code == .conflict && attempt < options.maxWriteAttempts {
                attempt += 1
            }
        }
    }

    /// Runs `body` on a staged write over a fresh snapshot (on a thread of its own, so the caller's executor
    /// never blocks on the network) and commits its change set through the group commit (`commit(_:)`); on a
    /// conflict runs it again, up to `Options.maxWriteAttempts` times. The body may run more than once, so it
    /// has no effects outside its write. Reads as `writeBlocking(_:)` does.
    ///
    /// - Throws: the body's error (nothing written); `StorageError` `.conflict` if every attempt conflicted.
    public func write<R: Sendable>(
        _ body: @escaping @Sendable (borrowing StagedWrite<EtcdSnapshot>) throws -> R
    )
        async throws -> R
    {
        var attempt = 1
        while true {
            let firstTry = attempt == 1
            let (result, changes) = try await onDedicatedThread { () throws -> (R, ChangeSet) in
                try self.staged({ staged in try body(staged) }, firstTry: firstTry)
            }
            do {
                try await commit(changes)
                return result
            } catch let error as StorageError where error.code == .conflict && attempt < options.maxWriteAttempts {
                attempt += 1
            }
        }
    }

    /// Runs `body` on a staged write over a fresh snapshot and returns its result with its change set.
    ///
    /// A first try reads serializably: the member answers from its own state without asking the leader, which
    /// costs the cluster far less, and the commit's compares catch anything stale. What such a run concludes
    /// other than a change set is not trusted: a body that throws there (say, "already exists" from a state
    /// already gone) runs again over a linearizable snapshot, and only that run's error reaches the caller.
    private func staged<R>(
        _ body: (StagedWrite<EtcdSnapshot>) throws -> R, firstTry: Bool
    ) throws -> (R, ChangeSet) {
        if firstTry {
            let builder = ChangeSetBuilder()
            do {
                let result = try builder.stage(over: snapshot(serializable: true), body)
                return (result, builder.changeSet())
            } catch  where StorageError.carried(by: error)?.code == .unavailable {
                throw error
            } catch {
                // Possibly the verdict of a stale state: ask the leader's.
            }
        }
        let builder = ChangeSetBuilder()
        let result = try builder.stage(over: snapshot(serializable: false), body)
        return (result, builder.changeSet())
    }

    private func snapshot(serializable: Bool) -> EtcdSnapshot {
        let member =
            serializable
            ? Int(nextReadMember.add(1, ordering: .relaxed).oldValue % UInt64(client.endpoints.count)) : nil
        return EtcdSnapshot(
            client: client, layout: layout, generations: generations, pageSize: options.scanPageSize,
            serializable: serializable, member: member, readGroups: readGroups)
    }

    /// Commits `changes` as one etcd `Txn` of its own (see `EtcdCommitPlan`). A lost answer is resolved by the
    /// commit token: the same `Txn` goes to the next member, and applies only if the first did not. Blocks the
    /// calling thread.
    ///
    /// - Throws: `StorageError` `.conflict` (nothing written), naming the keyspace and key whose version moved;
    ///   `.changeSetTooLarge` if it does not fit one `Txn`; `.unavailable` if no member answered.
    public func commitBlocking(_ changes: ChangeSet) throws {
        guard !changes.writes.isEmpty || !changes.reads.isEmpty || !changes.rangeReads.isEmpty else { return }
        try committer.commitAlone(changes)
    }

    /// Commits `changes` in the next group commit (`EtcdCommitGroups`): async commits waiting at the same time
    /// whose keys are disjoint share one `Txn`, within etcd's limits. A member's conflict fails that member
    /// only; the others are sent again. The caller resumes once its `Txn` was answered.
    ///
    /// - Throws: as `commitBlocking(_:)`, for this change set alone.
    public func commit(_ changes: ChangeSet) async throws {
        guard !changes.writes.isEmpty || !changes.reads.isEmpty || !changes.rangeReads.isEmpty else { return }
        try await groups.commit(changes)
    }

    private static func invalid(_ message: String) -> StorageError {
        StorageError(code: .invalidArgument, operation: "open", message: message)
    }
}

/// Runs `work` on a thread of `BlockingThreads` and resumes with its result: the blocking HTTP calls of a write
/// then never hold a thread of the cooperative pool.
func onDedicatedThread<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
    try await withCheckedThrowingContinuation { continuation in
        BlockingThreads.shared.run { continuation.resume(with: Result { try work() }) }
    }
}
