internal import Dispatch
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// The one serial executor async writers reach the writer through, so the cooperative pool never blocks on
/// the writer lock. It drains every write waiting in its queue into one LMDB transaction (group commit).
final class GroupCommitQueue: Sendable {
    private let queue = DispatchQueue(label: "catalog.storage.writer")
    private let waiting = Mutex<(writes: [any GroupMember], draining: Bool)>(([], false))

    /// Queues `member`; starts a drain unless one is already running, which will pick it up.
    func submit(_ member: any GroupMember, to environment: Environment) {
        let startDrain = waiting.withLock { state in
            state.writes.append(member)
            if state.draining { return false }
            state.draining = true
            return true
        }
        if startDrain {
            queue.async { self.drain(environment) }
        }
    }

    /// How long the writer waits, after committing a group of several writes, for those writers to come back.
    static let regroupWindow: Duration = .microseconds(250)

    private func drain(_ environment: Environment) {
        var lastGroupSize = 0
        while true {
            // The callers of a group of several writes were just resumed; writers in a loop submit again at
            // once. Committing the first to arrive alone would split them into two synced commits, so wait a
            // moment (far less than a commit's sync) for as many to gather. A lone writer never waits.
            if lastGroupSize > 1 { awaitSubmissions(lastGroupSize) }
            let group: [any GroupMember] = waiting.withLock { state in
                let taken = state.writes
                state.writes.removeAll(keepingCapacity: true)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            if group.isEmpty { return }
            commit(group, in: environment)
            lastGroupSize = group.count
        }
    }

    /// Returns once `count` writes are waiting or `regroupWindow` has passed.
    private func awaitSubmissions(_ count: Int) {
        let deadline = ContinuousClock.now + Self.regroupWindow
        while waiting.withLock({ $0.writes.count }) < count, ContinuousClock.now < deadline {
            usleep(20)
        }
    }

    /// Runs each member's body in its own nested transaction of one write, commits once, then resumes every
    /// caller: with its own result, or with the commit's error if the group could not commit.
    private func commit(_ group: [any GroupMember], in environment: Environment) {
        environment.metrics.noteGroup(of: group.count)
        do {
            try environment.writeBlocking { tx in
                for member in group {
                    try member.run(in: tx, of: environment)
                }
            }
        } catch {
            for member in group { member.fail(error) }
            return
        }
        for member in group { member.finish() }
    }
}

/// One async write waiting for its group's commit.
protocol GroupMember: AnyObject, Sendable {
    /// Runs the body in a nested transaction and keeps its result. Throws only what must abort the whole group
    /// (a full map, which re-runs every body after the map grows).
    func run(in parent: borrowing WriteTransaction, of environment: Environment) throws
    /// Resumes the caller with its kept result, now that the group has committed.
    func finish()
    /// Resumes the caller with the group's error.
    func fail(_ error: any Error)
}

final class PendingWrite<R: Sendable>: GroupMember, @unchecked Sendable {
    // Safe because: `outcome` is written and read only on the writer queue's thread, and the continuation is
    // resumed exactly once, by `finish` or `fail`, on that thread.
    private let body: @Sendable (borrowing WriteTransaction) throws -> R
    private let continuation: CheckedContinuation<R, any Error>
    private var outcome: Result<R, any Error>?

    init(
        body: @escaping @Sendable (borrowing WriteTransaction) throws -> R,
        continuation: CheckedContinuation<R, any Error>
    ) {
        self.body = body
        self.continuation = continuation
    }

    func run(in parent: borrowing WriteTransaction, of environment: Environment) throws {
        do {
            outcome = .success(try environment.nested(in: parent, body))
        } catch {
            if parent.state.mapFull { throw error }
            outcome = .failure(error)
        }
    }

    func finish() {
        guard let outcome else { preconditionFailure("a group member finished without running") }
        continuation.resume(with: outcome)
    }

    func fail(_ error: any Error) { continuation.resume(throwing: error) }
}

extension Environment {
    /// Runs `body` in a write transaction on the environment's writer executor, sharing one commit with every
    /// other async write waiting at the same time.
    ///
    /// The body runs in its own nested transaction: if it throws, only its changes roll back and only its caller
    /// hears the error. The caller resumes after the shared commit is on disk. The body may run more than once
    /// (the map grew), so it must have no effect outside its transaction.
    public func write<R: Sendable>(
        _ body: @escaping @Sendable (borrowing WriteTransaction) throws -> R
    ) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            groupCommit.submit(PendingWrite(body: body, continuation: continuation), to: self)
        }
    }
}
