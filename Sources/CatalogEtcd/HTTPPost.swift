#if canImport(Glibc)
    internal import Glibc
#endif

/// One HTTP/1.1 POST to an etcd member on a kept-alive connection (`HTTPConnections`), the answer read by its
/// length or chunks (`HTTPAnswer`).
///
/// Why not URLSession: on this toolchain (6.3.1) FoundationNetworking traps with "Transfer completed, but
/// there's no response" when a connection drops right after the request was sent (swift-corelibs-foundation
/// #5285, fixed by #5286 after this release), which is exactly what a killed etcd member does. Plain sockets
/// keep the client a few dozen lines. Reusing a connection saves the handshake and etcd's setup of each new
/// connection, which under load costs the cluster about as much as a serializable read.
enum HTTPPost {
    enum Outcome: Sendable {
        /// The server answered with this status and body.
        case answered(status: Int, body: [UInt8])
        /// No answer: refused, reset, timed out, or cut off before the answer was complete.
        case unreachable(String)
    }

    /// Posts `body` as JSON to `path` on `host:port`, waiting at most `timeout` seconds for each step.
    ///
    /// An idle connection the server had closed meanwhile shows as a connection that ends before any byte of
    /// the answer: the request goes again on the next idle one, then on a new one. That is safe because every
    /// request the etcd client sends may be sent twice (`EtcdClient`).
    static func send(
        host: String, port: Int, path: String, body: [UInt8], timeout: Double, connections: HTTPConnections
    ) -> Outcome {
        let request = HTTPRequest.post(path: path, host: host, port: port, body: body, keepAlive: true)
        while true {
            let socket: Int32
            let reused: Bool
            if let idle = connections.take(host: host, port: port) {
                (socket, reused) = (idle, true)
            } else {
                switch openConnection(host: host, port: port, timeout: timeout) {
                case .success(let opened): (socket, reused) = (opened, false)
                case .failure(let reason): return .unreachable(reason.text)
                }
                var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
                _ = setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
                _ = setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
            }
            if let failure = HTTPRequest.send(request, on: socket) {
                close(socket)
                if reused { continue }
                return .unreachable(failure)
            }
            switch HTTPAnswer.read(from: socket) {
            case .success(let answer):
                if answer.reusable { connections.giveBack(socket, host: host, port: port) } else { close(socket) }
                return .answered(status: answer.status, body: answer.body)
            case .failure(let failure):
                close(socket)
                if reused && !failure.receivedAny && !failure.timedOut { continue }
                return .unreachable(failure.reason)
            }
        }
    }

    struct Reason: Error {
        let text: String
    }

    /// A connected TCP socket to `host:port`, trying each address, each connect bounded by `timeout`.
    static func openConnection(host: String, port: Int, timeout: Double) -> Result<Int32, Reason> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure(Reason(text: "cannot resolve \(host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(first) }
        var last = "no address for \(host)"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let address = next {
            next = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                last = "socket failed: \(String(cString: strerror(errno)))"
                continue
            }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var result = Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen)
            if result != 0 && errno == EINPROGRESS {
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&poller, 1, Int32(timeout * 1000))
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if ready == 1 && error == 0 {
                    result = 0
                } else {
                    errno = ready == 0 ? ETIMEDOUT : error
                }
            }
            if result == 0 {
                _ = fcntl(fd, F_SETFL, flags)
                return .success(fd)
            }
            last = "connect failed: \(String(cString: strerror(errno)))"
            close(fd)
        }
        return .failure(Reason(text: last))
    }
}
