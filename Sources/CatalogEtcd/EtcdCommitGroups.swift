import CatalogStorage
internal import Foundation
internal import Synchronization

/// Group commit over etcd: async commits waiting at the same time are merged into one `Txn`, as far as etcd's
/// limits allow, so a busy store sends fewer, larger transactions.
///
/// Up to `lanes` threads each send one `Txn` at a time. A commit that finds a lane free goes at once, alone
/// (a lone writer never waits); while every lane is busy, commits queue, and the next free lane takes the
/// oldest waiting one with every later one that fits beside it: no key in common with the group's writes
/// (`EtcdCommitFootprint`), the `Txn` within `maxTxnOperations` and `maxRequestBytes`, at most `maxMembers`.
///
/// When the merged `Txn` fails, its failure branch tells which members' reads moved (at the revision the
/// compares were checked): those, and only those, fail with `.conflict`; the others are sent again together,
/// so one member's conflict never fails another's write. If an answer named no member, each is sent alone.
/// A lost answer is resolved by the `Txn`'s one token, for every member at once.
final class EtcdCommitGroups: Sendable {
    private let committer: EtcdCommitter
    private let lanes: Int
    private let maxMembers: Int
    private let state = Mutex<(waiting: [PendingEtcdCommit], busyLanes: Int)>(([], 0))

    init(committer: EtcdCommitter, lanes: Int, maxMembers: Int) {
        self.committer = committer
        self.lanes = max(1, lanes)
        self.maxMembers = max(1, maxMembers)
    }

    /// Commits `changes` in the next group it fits, resuming once its `Txn` was answered.
    ///
    /// - Throws: as `EtcdStore.commitBlocking`: `.conflict` for this change set's own reads only;
    ///   `.changeSetTooLarge` (before queueing) if it does not fit a `Txn` of its own.
    func commit(_ changes: ChangeSet) async throws {
        let cost = try committer.memberCost(of: changes)
        let footprint = EtcdCommitFootprint(changes, layout: committer.layout)
        try await withCheckedThrowingContinuation { continuation in
            let member = PendingEtcdCommit(
                changes: changes, footprint: footprint, cost: cost, continuation: continuation)
            let startsLane = state.withLock { state in
                state.waiting.append(member)
                guard state.busyLanes < lanes else { return false }
                state.busyLanes += 1
                return true
            }
            if startsLane {
                BlockingThreads.shared.run { [self] in runLane() }
            }
        }
    }

    /// Sends groups until none is waiting.
    private func runLane() {
        while let group = nextGroup() { commit(group) }
    }

    /// Takes the oldest waiting commit and every later one that fits beside it; `nil` (and the lane ends) when
    /// none is waiting.
    private func nextGroup() -> [PendingEtcdCommit]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.busyLanes -= 1
                return nil
            }
            let first = state.waiting.removeFirst()
            var group = [first]
            var footprint = first.footprint
            var cost = first.cost + (first.changes.writes.isEmpty ? .init() : committer.tokenCost)
            var hasWrites = !first.changes.writes.isEmpty
            var index = 0
            while index < state.waiting.count, group.count < maxMembers {
                let next = state.waiting[index]
                let addsToken = !hasWrites && !next.changes.writes.isEmpty
                let grown = cost + next.cost + (addsToken ? committer.tokenCost : .init())
                guard grown.fits(maxOperations: committer.maxOperations, maxBytes: committer.maxBytes),
                    !footprint.overlaps(next.footprint)
                else {
                    index += 1
                    continue
                }
                state.waiting.remove(at: index)
                group.append(next)
                footprint.formUnion(next.footprint)
                cost = grown
                hasWrites = hasWrites || addsToken
            }
            return group
        }
    }

    /// Sends `group` as one `Txn`; on a conflict, fails the members it names and sends the rest again.
    private func commit(_ group: [PendingEtcdCommit]) {
        committer.metrics.noteGroup(of: group.count)
        var remaining = group
        while !remaining.isEmpty {
            let outcome: EtcdCommitter.Outcome
            do {
                outcome = try committer.send(remaining.map(\.changes))
            } catch  where error.code == .changeSetTooLarge && remaining.count > 1 {
                // The cluster takes less than the store was told: each alone meets etcd's own verdict.
                commitOneByOne(remaining)
                return
            } catch {
                for member in remaining { member.finish(.failure(error)) }
                return
            }
            switch outcome {
            case .committed:
                for member in remaining { member.finish(.success(())) }
                return
            case .unattributed(let conflict):
                guard remaining.count > 1 else {
                    remaining[0].finish(.failure(conflict))
                    return
                }
                commitOneByOne(remaining)
                return
            case .conflicts(let conflicts):
                var next: [PendingEtcdCommit] = []
                for (index, member) in remaining.enumerated() {
                    if let conflict = conflicts[index] {
                        member.finish(.failure(conflict))
                    } else {
                        next.append(member)
                    }
                }
                remaining = next
            }
        }
    }

    /// Sends each member in a `Txn` of its own.
    private func commitOneByOne(_ members: [PendingEtcdCommit]) {
        for member in members {
            do {
                try committer.commitAlone(member.changes)
                member.finish(.success(()))
            } catch {
                member.finish(.failure(error))
            }
        }
    }
}
