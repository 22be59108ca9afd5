#if canImport(Glibc)
    internal import Glibc
#endif

/// One HTTP/1.0 POST over a fresh TCP connection: the request, then the answer read to the end of the stream.
///
/// Why not URLSession: on this toolchain (6.3.1) FoundationNetworking traps with "Transfer completed, but
/// there's no response" when a connection drops right after the request was sent (swift-corelibs-foundation
/// #5285, fixed by #5286 after this release), which is exactly what a killed etcd member does. HTTP/1.0 makes
/// etcd's Go server delimit the answer by closing the connection (no chunked encoding, no keep-alive), so the
/// client stays a few dozen lines. A connection per request costs tens of microseconds on loopback; a commit
/// costs milliseconds.
enum HTTPPost {
    enum Outcome: Sendable {
        /// The server answered with this status and body.
        case answered(status: Int, body: [UInt8])
        /// No answer: refused, reset, timed out, or cut off before the answer was complete.
        case unreachable(String)
    }

    /// Posts `body` as JSON to `path` on `host:port`, waiting at most `timeout` seconds for each step.
    static func send(host: String, port: Int, path: String, body: [UInt8], timeout: Double) -> Outcome {
        let fd: Int32
        switch openConnection(host: host, port: port, timeout: timeout) {
        case .success(let socket): fd = socket
        case .failure(let reason): return .unreachable(reason.text)
        }
        defer { close(fd) }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))

        if let failure = HTTPRequest.send(HTTPRequest.post(path: path, host: host, port: port, body: body), on: fd) {
            return .unreachable(failure)
        }

        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if received == 0 { break }
            if received < 0 {
                if errno == EINTR { continue }
                let reason =
                    errno == EAGAIN || errno == EWOULDBLOCK
                    ? "timed out waiting for the answer" : String(cString: strerror(errno))
                return .unreachable("the answer was lost: \(reason)")
            }
            answer.append(contentsOf: buffer[0..<received])
        }
        return parse(answer)
    }

    /// The status and body of a complete HTTP answer, or `.unreachable` if it was cut off.
    static func parse(_ answer: [UInt8]) -> Outcome {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = answer.indices.first(where: { answer[$0...].starts(with: separator) }) else {
            return .unreachable("the connection closed before the answer's headers were complete")
        }
        let lines = String(decoding: answer[..<end], as: UTF8.self).split(separator: "\r\n")
        let statusWords = lines.first?.split(separator: " ") ?? []
        guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/"), let status = Int(statusWords[1]) else {
            return .unreachable("the answer did not start with an HTTP status line")
        }
        var body = Array(answer[(end + 4)...])
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { continue }
            guard let length = Int(parts[1].trimmingPrefix(" ")), body.count >= length else {
                return .unreachable("the connection closed before the answer's body was complete")
            }
            body.removeLast(body.count - length)
        }
        return .answered(status: status, body: body)
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
