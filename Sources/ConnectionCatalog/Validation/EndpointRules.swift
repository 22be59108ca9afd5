/// ENDPOINT form: a host name, optionally `https://` before it, `:port` after it and a final `/`.
///
/// The host is 1 to 253 characters of dot-separated labels, each 1 to 63 of `[A-Za-z0-9-]` starting and
/// ending with a letter or digit (so IPv4 addresses pass). The port is 1 to 65535. `http://` is refused:
/// credentials must not travel in clear text. Paths, queries and user info are refused: the endpoint names
/// a service, not an object.
enum EndpointRules {
    enum Outcome: Equatable {
        case valid
        case malformed
        case insecureScheme
    }

    static func check(_ endpoint: String) -> Outcome {
        // Checked over the contiguous UTF-8 bytes by index: every create and ALTER of a storage connection runs
        // this, and slices of a buffer pointer cost a type lookup in each generic call they pass through.
        var endpoint = endpoint
        return endpoint.withUTF8 { check(bytes: $0) }
    }

    private static func check(bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var start = 0
        var end = bytes.count
        if let schemeEnd = schemeSeparator(in: bytes) {
            let scheme = UnsafeBufferPointer(rebasing: bytes[0..<schemeEnd])
            if ASCII.equalsIgnoringCase(scheme, "http".utf8) { return .insecureScheme }
            guard ASCII.equalsIgnoringCase(scheme, "https".utf8) else { return .malformed }
            start = schemeEnd + 3
        }
        if end > start, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        if let colon = (start..<end).first(where: { bytes[$0] == UInt8(ascii: ":") }) {
            let digits = end - colon - 1
            guard (1...5).contains(digits) else { return .malformed }
            var number = 0
            for index in (colon + 1)..<end {
                guard ASCII.isDigit(bytes[index]) else { return .malformed }
                number = number * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            guard (1...65535).contains(number) else { return .malformed }
            end = colon
        }
        guard (1...253).contains(end - start) else { return .malformed }
        // Dot-separated labels, none empty: 1 to 63 letters, digits and hyphens, a letter or digit at each end.
        var labelStart = start
        for index in start..<end where bytes[index] == UInt8(ascii: ".") || index == end - 1 {
            let labelEnd = bytes[index] == UInt8(ascii: ".") ? index : index + 1
            guard isLabel(bytes, labelStart..<labelEnd) else { return .malformed }
            labelStart = index + 1
        }
        // A trailing dot leaves an empty last label.
        return bytes[end - 1] == UInt8(ascii: ".") ? .malformed : .valid
    }

    private static func isLabel(_ bytes: UnsafeBufferPointer<UInt8>, _ label: Range<Int>) -> Bool {
        guard !label.isEmpty, label.count <= 63, ASCII.isAlnum(bytes[label.lowerBound]),
            ASCII.isAlnum(bytes[label.upperBound - 1])
        else { return false }
        for index in label where !(ASCII.isAlnum(bytes[index]) || bytes[index] == UInt8(ascii: "-")) { return false }
        return true
    }

    /// Where the first `://` starts.
    private static func schemeSeparator(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 3 else { return nil }
        return (0...(bytes.count - 3)).first { start in
            bytes[start] == UInt8(ascii: ":") && bytes[start + 1] == UInt8(ascii: "/")
                && bytes[start + 2] == UInt8(ascii: "/")
        }
    }

    static let expected = "a host name such as oss-cn-hangzhou-internal.aliyuncs.com or an https:// URL with no path"
}
