#if canImport(Glibc)
    internal import Glibc
#endif

/// One HTTP/1.0 request to a server on loopback over a plain socket, for the test cluster's health and status
/// checks: the request, then the answer read until the server closes the connection.
///
/// Why not URLSession: FoundationNetworking keeps idle connections to every member it asked, and traps when
/// a connection drops right after a request (swift-corelibs-foundation #5285), which is what a member the tests
/// SIGKILL does. Here every send is `MSG_NOSIGNAL`, so a dead peer is an answer of `nil`, never a SIGPIPE that
/// would end the whole test process without a word.
enum LoopbackHTTP {
    /// The status and body of `method path` on `127.0.0.1:port` (a `body` makes it a JSON request), or `nil`
    /// if the server did not answer completely within `timeout` seconds.
    static func request(
        port: Int, method: String, path: String, body: [UInt8] = [], timeout: Double = 1
    )
        -> (status: Int, body: [UInt8])?
    {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let head =
            "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let written = request.withUnsafeBytes {
                send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return nil }
            sent += written
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if received == 0 { break }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else { return nil }
            answer.append(contentsOf: buffer[0..<received])
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = answer.indices.first(where: { answer[$0...].starts(with: separator) }) else { return nil }
        let statusLine = String(decoding: answer[..<end], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let words = statusLine.split(separator: " ")
        guard words.count >= 2, let status = Int(words[1]) else { return nil }
        return (status, Array(answer[(end + 4)...]))
    }
}
