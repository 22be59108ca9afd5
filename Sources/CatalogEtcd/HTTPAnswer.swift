#if canImport(Glibc)
    internal import Glibc
#endif

/// An HTTP answer read from a socket: the status line and headers, then the body by its `Content-Length`, by
/// its chunks, or (HTTP/1.0) to the end of the stream; and whether the connection can carry another request.
struct HTTPAnswer: Sendable {
    let status: Int
    let body: [UInt8]
    /// The body was delimited (not by the end of the stream) and the server did not ask to close.
    let reusable: Bool

    /// Why no complete answer came.
    struct Failure: Error {
        let reason: String
        /// Whether any byte of an answer had arrived (if not, on a kept-alive connection, the server had most
        /// likely closed it while it was idle).
        let receivedAny: Bool
        let timedOut: Bool
    }

    /// How the body's end is known.
    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    /// Reads one answer from `socket`, whose receive timeout bounds each wait.
    static func read(from socket: Int32) -> Result<HTTPAnswer, Failure> {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var head: (status: Int, framing: Framing, keepAlive: Bool, bodyStart: Int)?
        var searchedUpTo = 0
        while true {
            if head == nil, let end = headerEnd(in: bytes, from: searchedUpTo) {
                guard let parsed = parseHead(bytes[..<end]) else {
                    return .failure(
                        Failure(
                            reason: "the answer did not start with an HTTP status line", receivedAny: true,
                            timedOut: false))
                }
                head = (parsed.status, parsed.framing, parsed.keepAlive, end + 4)
            }
            searchedUpTo = max(0, bytes.count - 3)
            if let head {
                switch head.framing {
                case .length(let length) where bytes.count - head.bodyStart >= length:
                    let body = Array(bytes[head.bodyStart..<head.bodyStart + length])
                    return .success(HTTPAnswer(status: head.status, body: body, reusable: head.keepAlive))
                case .chunked:
                    switch dechunk(bytes[head.bodyStart...]) {
                    case .complete(let body):
                        return .success(HTTPAnswer(status: head.status, body: body, reusable: head.keepAlive))
                    case .malformed:
                        return .failure(
                            Failure(reason: "the answer's chunks were malformed", receivedAny: true, timedOut: false))
                    case .incomplete: break
                    }
                default: break
                }
            }
            let received = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
            if received == 0 {
                if let head, case .untilClose = head.framing {
                    return .success(
                        HTTPAnswer(status: head.status, body: Array(bytes[head.bodyStart...]), reusable: false))
                }
                return .failure(
                    Failure(
                        reason: "the connection closed before the answer was complete", receivedAny: !bytes.isEmpty,
                        timedOut: false))
            }
            if received < 0 {
                if errno == EINTR { continue }
                let timedOut = errno == EAGAIN || errno == EWOULDBLOCK
                let reason = timedOut ? "timed out waiting for the answer" : String(cString: strerror(errno))
                return .failure(
                    Failure(reason: "the answer was lost: \(reason)", receivedAny: !bytes.isEmpty, timedOut: timedOut))
            }
            bytes.append(contentsOf: buffer[0..<received])
        }
    }

    /// Where the blank line after the headers starts, searching from `start`.
    private static func headerEnd(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 4 <= bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The status, framing and keep-alive of the status line and headers in `head`.
    private static func parseHead(_ head: ArraySlice<UInt8>) -> (status: Int, framing: Framing, keepAlive: Bool)? {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n")
        let words = lines.first?.split(separator: " ") ?? []
        guard words.count >= 2, words[0].hasPrefix("HTTP/"), let status = Int(words[1]) else { return nil }
        var keepAlive = words[0] == "HTTP/1.1"
        var framing = Framing.untilClose
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].lowercased()
            let value = parts[1].trimmingPrefix(" ").lowercased()
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0 else { return nil }
                framing = .length(length)
            case "transfer-encoding" where value.contains("chunked"):
                framing = .chunked
            case "connection":
                if value.contains("close") { keepAlive = false }
                if value.contains("keep-alive") { keepAlive = true }
            default: continue
            }
        }
        if case .untilClose = framing { keepAlive = false }
        return (status, framing, keepAlive)
    }

    private enum Chunks {
        case complete([UInt8])
        case incomplete
        case malformed
    }

    /// The body of a chunked answer whose bytes so far are `bytes`.
    private static func dechunk(_ bytes: ArraySlice<UInt8>) -> Chunks {
        var body: [UInt8] = []
        var index = bytes.startIndex
        while true {
            guard let sizeEnd = lineEnd(in: bytes, from: index) else { return .incomplete }
            let sizeText = String(decoding: bytes[index..<sizeEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: " "), radix: 16), size >= 0 else { return .malformed }
            index = sizeEnd + 2
            if size == 0 {
                // Trailer lines, if any, end with an empty line.
                while true {
                    guard let end = lineEnd(in: bytes, from: index) else { return .incomplete }
                    if end == index { return .complete(body) }
                    index = end + 2
                }
            }
            guard bytes.endIndex - index >= size + 2 else { return .incomplete }
            body.append(contentsOf: bytes[index..<index + size])
            index += size
            guard bytes[index] == 13, bytes[index + 1] == 10 else { return .malformed }
            index += 2
        }
    }

    /// Where the next CRLF at or after `start` begins.
    private static func lineEnd(in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.endIndex {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var text = self
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return text
    }
}
