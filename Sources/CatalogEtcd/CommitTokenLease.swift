import CatalogStorage
internal import Dispatch
internal import Synchronization

/// The etcd lease every commit token is put under, so tokens expire by themselves instead of piling up.
///
/// One lease of `ttl` seconds is granted and used for the first 4/5 of its life, then a new one is granted: a
/// token therefore lives at least `ttl / 5` seconds, far longer than the few seconds in which a lost answer
/// is resolved (the same `Txn` resent to the next member). Nothing keeps a lease alive.
final class CommitTokenLease: Sendable {
    private let client: EtcdClient
    private let ttl: Int64
    private let current = Mutex<(id: Int64, renewAt: UInt64)?>(nil)

    init(client: EtcdClient, ttl: Int64) {
        self.client = client
        self.ttl = ttl
    }

    /// The lease to put the next token under, granting one if none is fresh.
    func id() throws(StorageError) -> Int64 {
        let now = DispatchTime.now().uptimeNanoseconds
        if let lease = current.withLock({ $0 }), now < lease.renewAt { return lease.id }
        let answer = try client.post(
            "v3/lease/grant", LeaseGrantRequest(TTL: EtcdInt(ttl)), as: LeaseGrantResponse.self,
            operation: "lease grant")
        guard let id = answer.ID?.value, answer.error?.isEmpty ?? true else {
            throw StorageError(
                code: .backendFailure, operation: "lease grant",
                message: "etcd granted no lease for commit tokens: \(answer.error ?? "no ID in the answer")")
        }
        let renewAt = now + UInt64(ttl) * 800_000_000
        current.withLock { $0 = (id, renewAt) }
        return id
    }

    /// Forgets a lease etcd no longer knows (it expired early, or the cluster was restored), so the next
    /// commit grants a new one.
    func forget(_ id: Int64) {
        current.withLock { if $0?.id == id { $0 = nil } }
    }
}
