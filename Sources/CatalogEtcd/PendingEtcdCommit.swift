import CatalogStorage
internal import Synchronization

/// One async commit waiting for a group: its change set, what it touches and costs, and its caller.
final class PendingEtcdCommit: Sendable {
    let changes: ChangeSet
    let footprint: EtcdCommitFootprint
    let cost: EtcdCommitPlan.Cost
    private let continuation: Mutex<CheckedContinuation<Void, any Error>?>

    init(
        changes: ChangeSet, footprint: EtcdCommitFootprint, cost: EtcdCommitPlan.Cost,
        continuation: CheckedContinuation<Void, any Error>
    ) {
        self.changes = changes
        self.footprint = footprint
        self.cost = cost
        self.continuation = Mutex(continuation)
    }

    /// Resumes the caller with `result`; only the first call does anything.
    func finish(_ result: Result<Void, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}
