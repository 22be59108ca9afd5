import CatalogStorage
internal import Foundation

/// Sends change sets to etcd as one `Txn` each time (`EtcdCommitPlan`) and tells who conflicted: the commit
/// path shared by `EtcdStore.commitBlocking` (one change set) and the group commit (several).
struct EtcdCommitter: Sendable {
    /// What one `Txn` of several change sets came to.
    enum Outcome {
        /// Every member applied (or an earlier send of the same `Txn`, whose answer was lost, did).
        case committed
        /// Nothing was written; these members' reads no longer hold, each with its conflict.
        case conflicts([Int: StorageError])
        /// Nothing was written, and the answer named no member (never seen; the caller commits them one by one,
        /// or reports this conflict for a `Txn` of one).
        case unattributed(StorageError)
    }

    let client: EtcdClient
    /// The live generation as last seen: each `Txn` is planned in its layout and compares its pin.
    let generations: EtcdGenerationState
    /// The layout of the live generation as last seen.
    var layout: EtcdKeyLayout { generations.current.layout }
    let tokenLease: CommitTokenLease
    let maxOperations: Int
    let maxBytes: Int
    /// Made once per store, when it opens.
    let metrics = EtcdMetrics()

    /// A fresh token key, `/<prefix>/_commits/<uuid>`.
    func newToken() -> [UInt8] { layout.tokenPrefix + Array(UUID().uuidString.utf8) }

    /// What a token adds to a `Txn` with writes (every token has the same length: a UUID's 36 characters).
    var tokenCost: EtcdCommitPlan.Cost { .token(layout.tokenPrefix + [UInt8](repeating: 0, count: 36)) }

    /// The cost of `changes` in a `Txn` of its own, without its token: what it adds to a group.
    ///
    /// - Throws: `.changeSetTooLarge` if it does not fit a `Txn` of its own; `.invalidArgument` for a version
    ///   not stamped by etcd.
    func memberCost(of changes: ChangeSet) throws(StorageError) -> EtcdCommitPlan.Cost {
        let token = newToken()
        let (pin, layout) = generations.current
        let plan = try EtcdCommitPlan(
            changes, layout: layout, pin: pin, token: token, lease: nil, maxOperations: maxOperations,
            maxBytes: maxBytes)
        guard plan.hasToken else { return plan.cost }
        let share = EtcdCommitPlan.Cost.token(token)
        return EtcdCommitPlan.Cost(
            compares: plan.cost.compares - share.compares, operations: plan.cost.operations - share.operations,
            failureReads: plan.cost.failureReads - share.failureReads, bytes: plan.cost.bytes - share.bytes)
    }

    /// Sends `members` as one `Txn` under one new token. A lost answer is resolved by the token: the same `Txn`
    /// goes to the next member (`EtcdClient`) and applies only if the first did not.
    ///
    /// - Throws: `.changeSetTooLarge` if the `Txn` does not fit (or etcd refuses it as too large);
    ///   `.unavailable` if no member answered; `.backendFailure` for any other refusal.
    func send(_ members: [ChangeSet]) throws(StorageError) -> Outcome {
        let token = newToken()
        let hasWrites = members.contains { !$0.writes.isEmpty }
        var leaseRetried = false
        while true {
            let lease = hasWrites ? try tokenLease.id() : nil
            let (pin, layout) = generations.current
            let plan = try EtcdCommitPlan(
                members: members, layout: layout, pin: pin, token: token, lease: lease, maxOperations: maxOperations,
                maxBytes: maxBytes)
            let answer: TxnResponse
            do {
                answer = try client.post("v3/kv/txn", plan.request, as: TxnResponse.self, operation: "commit")
            } catch {
                // The lease expired under us; the refused Txn wrote nothing. Grant another and send again.
                guard error.code == .backendFailure, error.message.contains("lease not found"), !leaseRetried
                else { throw error }
                if let lease { tokenLease.forget(lease) }
                leaseRetried = true
                continue
            }
            if answer.succeeded == true || plan.tokenWasCommitted(in: answer) {
                metrics.noteCommit()
                return .committed
            }
            // An import or restore switched generations: the next plan is made in the new one.
            if let moved = plan.pointer(in: answer) { generations.adopt(moved) }
            let conflicts = plan.conflicts(in: answer)
            // An unattributed refusal of several is sent again one by one, and counted then.
            metrics.noteConflicts(conflicts.isEmpty ? (members.count == 1 ? 1 : 0) : conflicts.count)
            return conflicts.isEmpty ? .unattributed(plan.conflict(in: answer)) : .conflicts(conflicts)
        }
    }

    /// Commits `changes` in a `Txn` of its own.
    ///
    /// - Throws: `.conflict` naming the keyspace and key that moved (nothing written); otherwise as `send`.
    func commitAlone(_ changes: ChangeSet) throws(StorageError) {
        switch try send([changes]) {
        case .committed: return
        case .conflicts(let conflicts):
            // A Txn of one member names only it.
            for conflict in conflicts.values { throw conflict }
        case .unattributed(let conflict): throw conflict
        }
    }
}
