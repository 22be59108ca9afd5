import CatalogStorage
internal import Dispatch
internal import Foundation
internal import Synchronization

/// The HTTP side of `EtcdStore`: posts JSON to etcd's v3 gateway on a list of members, moving on to the next
/// member when one does not answer.
///
/// Every request it sends is safe to send twice (reads; a `Txn` guarded by its commit token; a lease grant,
/// whose orphan expires), so an answer that never came is simply asked again of the next member. The calls
/// block the calling thread (plain sockets, `HTTPPost`) until an answer or the give-up deadline.
final class EtcdClient: Sendable {
    let endpoints: [URL]
    private let requestTimeout: Double
    private let giveUpAfter: Double
    /// The member that answered last: every call starts there.
    private let preferred = Mutex<Int>(0)
    private let dropsAnswer: (@Sendable (_ path: String, _ endpoint: String) -> Bool)?
    /// The newest revision a `Txn` sent through this client wrote at: a read served from the node-local mirror
    /// waits until the mirror has it (read-your-writes, `EtcdMirror`).
    private let newestWrite = Atomic<Int64>(0)
    /// Idle kept-alive connections to the members.
    private let connections = HTTPConnections()

    /// The newest revision a `Txn` of this client wrote at (0 before any).
    var newestWriteRevision: Int64 { newestWrite.load(ordering: .acquiring) }

    init(
        endpoints: [URL], requestTimeout: Double, giveUpAfter: Double,
        dropsAnswer: (@Sendable (_ path: String, _ endpoint: String) -> Bool)?
    ) {
        self.endpoints = endpoints
        self.requestTimeout = requestTimeout
        self.giveUpAfter = giveUpAfter
        self.dropsAnswer = dropsAnswer
    }

    /// The endpoint the next call tries first.
    var currentEndpoint: String { endpoints[preferred.withLock { $0 }].absoluteString }

    /// The index in `endpoints` of the member the next call tries first.
    var preferredIndex: Int { preferred.withLock { $0 } }

    /// Posts `request` to `path` and decodes the answer, trying each member in turn (from the one that answered
    /// last) and going round again, with a short back-off, until one answers or `giveUpAfter` seconds pass.
    ///
    /// A member is skipped when the connection is refused, reset or times out, when its answer is lost, and when
    /// it answers that it has no leader or timed out (gRPC `unavailable`, `deadline exceeded`).
    ///
    /// - Throws: `StorageError` `.unavailable` naming every endpoint tried and the last failure;
    ///   `.backendFailure` (or `.changeSetTooLarge`) with etcd's message when a member answered with an error.
    func post<Request: Encodable, Response: Decodable>(
        _ path: String, _ request: Request, as type: Response.Type, operation: String
    ) throws(StorageError) -> Response {
        try post(path, request, as: type, operation: operation, at: nil).response
    }

    /// Posts like `post(_:_:as:operation:)`, starting at member `member` when given (a serializable snapshot
    /// stays with the member that answered its first read, whose state it reads); returns which member answered.
    /// Only a call without a member moves the preferred one.
    func post<Request: Encodable, Response: Decodable>(
        _ path: String, _ request: Request, as _: Response.Type, operation: String, at member: Int?
    ) throws(StorageError) -> (response: Response, member: Int) {
        let body: Data
        do {
            body = try JSONEncoder().encode(request)
        } catch {
            preconditionFailure("etcd requests always encode: \(error)")
        }
        let started = DispatchTime.now()
        var backOff = 0.02
        var failures: [String] = []
        while true {
            let first = member ?? preferred.withLock { $0 }
            for step in 0..<endpoints.count {
                let index = (first + step) % endpoints.count
                let endpoint = endpoints[index]
                let (host, port) = (endpoint.host ?? "127.0.0.1", endpoint.port ?? 2379)
                let outcome = HTTPPost.send(
                    host: host, port: port, path: path, body: Array(body), timeout: requestTimeout,
                    connections: connections)
                switch outcome {
                case .answered(200, let answerBytes):
                    let data = Data(answerBytes)
                    if dropsAnswer?(path, endpoint.absoluteString) == true {
                        failures.append("\(endpoint.absoluteString): the answer was lost")
                        continue
                    }
                    if member == nil { preferred.withLock { $0 = index } }
                    do {
                        let response = try JSONDecoder().decode(Response.self, from: data)
                        if let txn = response as? TxnResponse, txn.succeeded == true,
                            txn.responses?.contains(where: { $0.response_put != nil }) == true,
                            let revision = txn.header?.revision?.value
                        {
                            _ = newestWrite.max(revision, ordering: .releasing)
                        }
                        return (response, index)
                    } catch {
                        throw StorageError(
                            code: .backendFailure, operation: operation,
                            message:
                                "etcd at \(endpoint.absoluteString) answered \(path) with JSON this client cannot read: \(error)"
                        )
                    }
                case .answered(let status, let answerBytes):
                    let data = Data(answerBytes)
                    let answer = try? JSONDecoder().decode(GatewayError.self, from: data)
                    let text = answer?.message ?? answer?.error ?? String(decoding: data.prefix(200), as: UTF8.self)
                    // 14 unavailable (no leader, leader changed, request timed out), 4 deadline exceeded.
                    if answer?.code == 14 || answer?.code == 4 || status == 503 {
                        failures.append("\(endpoint.absoluteString): \(text)")
                        continue
                    }
                    throw Self.serverError(text, status: status, endpoint: endpoint, path: path, operation: operation)
                case .unreachable(let reason):
                    failures.append("\(endpoint.absoluteString): \(reason)")
                    // Its other idle connections most likely broke with it.
                    connections.drop(host: host, port: port)
                }
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            if elapsed >= giveUpAfter {
                let tried = endpoints.map(\.absoluteString).joined(separator: ", ")
                throw StorageError(
                    code: .unavailable, operation: operation,
                    message: "no etcd member answered \(path) within \(Int(giveUpAfter)) s (tried \(tried)); last: "
                        + (failures.last ?? "none") + "; check that a majority of the cluster is up")
            }
            Thread.sleep(forTimeInterval: min(backOff, max(0, giveUpAfter - elapsed)))
            backOff = min(backOff * 2, 0.5)
        }
    }

    /// An error etcd itself answered with, under the storage layer's codes.
    private static func serverError(
        _ text: String, status: Int, endpoint: URL, path: String, operation: String
    )
        -> StorageError
    {
        if text.contains("too many operations in txn request") || text.contains("request is too large") {
            return StorageError(
                code: .changeSetTooLarge, operation: operation,
                message: "etcd refused the commit as too large (\(text)); a change set must fit one Txn "
                    + "(--max-txn-ops, --max-request-bytes)")
        }
        return StorageError(
            code: .backendFailure, operation: operation,
            message: "etcd at \(endpoint.absoluteString) answered \(path) with HTTP \(status): \(text)")
    }
}
