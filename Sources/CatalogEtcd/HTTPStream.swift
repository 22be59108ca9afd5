internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// One HTTP/1.0 POST whose answer is a stream of lines read as they arrive (etcd's `/v3/watch`), on a fresh TCP
/// connection that another thread can cut (`cancel`).
///
/// A watch stays silent while nothing changes, so reads wait without a timeout; a member that dies closes the
/// connection (its kernel does), which ends the stream. `HTTPPost` stays the client for answers read whole.
final class HTTPStream: Sendable {
    /// How a stream ended.
    enum Ending: Sendable {
        /// The consumer of the lines stopped it (its closure returned `false`, or `cancel` was called).
        case stopped
        /// The server answered with another status than 200; the body, as far as it came.
        case refused(status: Int, body: [UInt8])
        /// The connection could not be made, or broke, or the server closed it.
        case broken(String)
    }

    /// The socket while connected, and whether `cancel` was called.
    private let state = Mutex<(socket: Int32?, cancelled: Bool)>((nil, false))

    /// Cuts the connection (from any thread): the reading thread's `run` returns `.stopped`.
    func cancel() {
        state.withLock { state in
            state.cancelled = true
            if let socket = state.socket { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Posts `body` as JSON to `path` on `host:port` and hands each line of a 200 answer's body to `line`
    /// (without its newline) until `line` returns `false`, the connection ends, or `cancel` is called.
    /// Blocks the calling thread throughout.
    func run(
        host: String, port: Int, path: String, body: [UInt8], connectTimeout: Double, _ line: ([UInt8]) -> Bool
    )
        -> Ending
    {
        let socket: Int32
        switch HTTPPost.openConnection(host: host, port: port, timeout: connectTimeout) {
        case .success(let opened): socket = opened
        case .failure(let reason): return .broken(reason.text)
        }
        let registered = state.withLock { state -> Bool in
            guard !state.cancelled else { return false }
            state.socket = socket
            return true
        }
        defer {
            state.withLock { $0.socket = nil }
            close(socket)
        }
        guard registered else { return .stopped }

        if let failure = HTTPRequest.send(HTTPRequest.post(path: path, host: host, port: port, body: body), on: socket)
        {
            return isCancelled ? .stopped : .broken(failure)
        }

        var pending: [UInt8] = []
        var status: Int?
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
            if received < 0 && errno == EINTR { continue }
            if received <= 0 {
                if isCancelled { return .stopped }
                if let status, status != 200 { return .refused(status: status, body: pending) }
                return .broken(received == 0 ? "the member closed the stream" : String(cString: strerror(errno)))
            }
            pending.append(contentsOf: buffer[0..<received])
            if status == nil {
                guard let end = Self.headerEnd(in: pending) else { continue }
                let statusLine = String(decoding: pending[..<end], as: UTF8.self).split(separator: "\r\n").first ?? ""
                let words = statusLine.split(separator: " ")
                guard words.count >= 2, words[0].hasPrefix("HTTP/"), let code = Int(words[1]) else {
                    return .broken("the answer did not start with an HTTP status line")
                }
                status = code
                pending.removeFirst(end + 4)
            }
            guard status == 200 else { continue }
            while let newline = pending.firstIndex(of: 10) {
                let text = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                if !text.isEmpty, !line(text) { return .stopped }
            }
        }
    }

    private static func headerEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
