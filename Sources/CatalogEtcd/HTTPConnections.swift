internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// Idle kept-alive connections to the members, by host and port, so that a request skips the TCP handshake and
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

    /// An idle connection to `host:port`, if one is kept (the caller owns it until it gives it back).
    func take(host: String, port: Int) -> Int32? {
        idle.withLock { $0[Self.endpoint(host, port)]?.popLast() }
    }

    /// Keeps `socket`, after a complete answer, for the next request to `host:port`.
    func giveBack(_ socket: Int32, host: String, port: Int) {
        let endpoint = Self.endpoint(host, port)
        let kept = idle.withLock { idle in
            guard idle[endpoint, default: []].count < maxIdle else { return false }
            idle[endpoint, default: []].append(socket)
            return true
        }
        if !kept { close(socket) }
    }

    /// Closes every idle connection to `host:port` (a member that stopped answering).
    func drop(host: String, port: Int) {
        let sockets = idle.withLock { $0.removeValue(forKey: Self.endpoint(host, port)) ?? [] }
        for socket in sockets { close(socket) }
    }

    private static func endpoint(_ host: String, _ port: Int) -> String { "\(host):\(port)" }
}
