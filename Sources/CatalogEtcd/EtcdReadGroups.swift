import CatalogStorage
internal import Foundation
internal import Synchronization

/// Group reads over etcd: the first reads of write snapshots waiting at the same moment go to one member as one
/// serializable read-only `Txn`, so many concurrent writes cost the cluster a few requests, not one each.
///
/// Like the group commit (`EtcdCommitGroups`), up to `lanes` requests are in flight. A read that finds a lane
/// free is sent at once by its own thread (a lone writer never waits), which goes on sending what queued
/// meanwhile until its own answer came, then hands the lane to a thread of its own if reads still wait. While
/// every lane is busy, reads queue, and the next group takes the oldest with every later one that fits one
/// `Txn` (`maxOperations`). Every read of a group is answered at the same revision by the same member, which is
/// all a snapshot needs: its later reads are made at that revision, at that member.
final class EtcdReadGroups: Sendable {
    /// The answers to one read's requests, with the revision and the member of the group.
    struct Answer: Sendable {
        let responses: [RangeResponse]
        let revision: Int64
        let member: Int
    }

    /// One read waiting for its group's answer.
    private final class Pending: Sendable {
        let requests: [RangeRequest]
        private let answered = DispatchSemaphore(value: 0)
        private let outcome = Mutex<Result<Answer, StorageError>?>(nil)

        init(_ requests: [RangeRequest]) { self.requests = requests }

        var isAnswered: Bool { outcome.withLock { $0 != nil } }

        func finish(_ result: Result<Answer, StorageError>) {
            outcome.withLock { $0 = result }
            answered.signal()
        }

        func wait() throws(StorageError) -> Answer {
            answered.wait()
            // Set before the signal: present once `wait` returns.
            return try outcome.withLock { $0! }.get()
        }
    }

    private let client: EtcdClient
    private let lanes: Int
    private let maxOperations: Int
    private let state = Mutex<(waiting: [Pending], busyLanes: Int)>(([], 0))
    /// Counts groups, each of which goes to the next member first.
    private let groupsSent = Atomic<UInt64>(0)

    init(client: EtcdClient, lanes: Int, maxOperations: Int) {
        self.client = client
        self.lanes = max(1, lanes)
        self.maxOperations = max(1, maxOperations)
    }

    /// Sends `requests` (ranges without a revision) in the next group, blocking until it is answered.
    ///
    /// - Throws: what the group's `Txn` threw (`.unavailable` when no member answered), for every read in it.
    func read(_ requests: [RangeRequest]) throws(StorageError) -> Answer {
        let pending = Pending(requests)
        let runsLane = state.withLock { state in
            state.waiting.append(pending)
            guard state.busyLanes < lanes else { return false }
            state.busyLanes += 1
            return true
        }
        if runsLane { runLane(until: pending) }
        return try pending.wait()
    }

    /// Sends groups until `own` (if any) was answered and no read waits; when `own` was answered and reads
    /// still wait, the lane goes on in a thread of its own.
    private func runLane(until own: Pending?) {
        while true {
            let next = state.withLock { state -> [Pending]? in
                guard !state.waiting.isEmpty else {
                    state.busyLanes -= 1
                    return nil
                }
                if let own, own.isAnswered { return [] }
                return takeGroup(from: &state.waiting)
            }
            guard let next else { return }
            if next.isEmpty {
                BlockingThreads.shared.run { [self] in runLane(until: nil) }
                return
            }
            send(next)
        }
    }

    /// The oldest waiting read and every later one that fits one `Txn` beside it.
    private func takeGroup(from waiting: inout [Pending]) -> [Pending] {
        var group = [waiting.removeFirst()]
        var operations = group[0].requests.count
        var index = 0
        while index < waiting.count {
            let next = waiting[index]
            guard operations + next.requests.count <= maxOperations else {
                index += 1
                continue
            }
            operations += next.requests.count
            group.append(waiting.remove(at: index))
        }
        return group
    }

    /// One serializable read-only `Txn` of every request of `group`, each read answered with its own part.
    private func send(_ group: [Pending]) {
        var txn = TxnRequest()
        for pending in group {
            for request in pending.requests {
                var request = request
                request.serializable = true
                txn.success.append(RequestOp(request_range: request))
            }
        }
        let first = Int(groupsSent.add(1, ordering: .relaxed).oldValue % UInt64(client.endpoints.count))
        let answer: (response: TxnResponse, member: Int)
        do {
            answer = try client.post("v3/kv/txn", txn, as: TxnResponse.self, operation: "range", at: first)
        } catch {
            for pending in group { pending.finish(.failure(error)) }
            return
        }
        guard let revision = answer.response.header?.revision?.value, let responses = answer.response.responses,
            responses.count == txn.success.count
        else {
            let error = StorageError(
                code: .backendFailure, operation: "range", message: "etcd answered a range without a revision")
            for pending in group { pending.finish(.failure(error)) }
            return
        }
        var offset = 0
        for pending in group {
            let part = responses[offset..<offset + pending.requests.count].map { $0.response_range ?? RangeResponse() }
            offset += pending.requests.count
            pending.finish(.success(Answer(responses: part, revision: revision, member: answer.member)))
        }
    }
}
