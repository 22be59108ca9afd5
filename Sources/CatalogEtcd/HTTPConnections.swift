internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// Idle kept-alive connections to the members, by `host:port`, so that a request skips the TCP handshake and
/// etcd's setup of a new connection. At most `maxIdle` are kept per member; all are closed with the client.
final class HTTPConnections: Sendable {
    private let idle = Mutex<[String: [Int32]]>([:])
    private let maxIdle: Int

    init(maxIdle: Int = 64) { self.maxIdle = maxIdle }

    deinit {
        idle.withLock { idle in
            for sockets in idle.values { for socket in sockets { close(socket) } }
        }
    }

    /// An idle connection to `endpoint`, if one is kept (the caller owns it until it gives it back).
    func take(_ endpoint: String) -> Int32? {
        idle.withLock { $0[endpoint]?.popLast() }
    }

    /// Keeps `socket`, after a complete answer, for the next request to `endpoint`.
    func giveBack(_ socket: Int32, to endpoint: String) {
        let kept = idle.withLock { idle in
            guard idle[endpoint, default: []].count < maxIdle else { return false }
            idle[endpoint, default: []].append(socket)
            return true
        }
        if !kept { close(socket) }
    }

    /// Closes every idle connection to `endpoint` (a member that stopped answering).
    func drop(_ endpoint: String) {
        let sockets = idle.withLock { $0.removeValue(forKey: endpoint) ?? [] }
        for socket in sockets { close(socket) }
    }
}
