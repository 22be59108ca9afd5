#if canImport(Glibc)
    internal import Glibc
#endif

/// An HTTP JSON POST as bytes, and how they go onto a socket: written once for the one-shot requests
/// (`HTTPPost`, HTTP/1.1 on kept-alive connections) and the watch streams (`HTTPStream`, HTTP/1.0).
enum HTTPRequest {
    /// The request line, headers and `body` of a POST of JSON to `path` on `host:port`: HTTP/1.1 (the
    /// connection stays open for the next request) when `keepAlive`, else HTTP/1.0 (the server closes it).
    static func post(path: String, host: String, port: Int, body: [UInt8], keepAlive: Bool = false) -> [UInt8] {
        let version = keepAlive ? "1.1" : "1.0"
        let head =
            "POST /\(path) HTTP/\(version)\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// Sends every byte of `bytes` on `socket` (never raising SIGPIPE); `nil` when all went, else why not.
    static func send(_ bytes: [UInt8], on socket: Int32) -> String? {
        var sent = 0
        while sent < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return "sending failed: \(String(cString: strerror(errno)))"
            }
            sent += written
        }
        return nil
    }
}
