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
        // Checked over the contiguous UTF-8 bytes: every create and ALTER of a storage connection runs this.
        var endpoint = endpoint
        return endpoint.withUTF8 { check(bytes: $0[...]) }
    }

    private static func check(bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Outcome {
        var rest = bytes
        if let schemeEnd = schemeSeparator(in: rest) {
            let scheme = rest[..<schemeEnd]
            if ASCII.equalsIgnoringCase(scheme, "http".utf8) { return .insecureScheme }
            guard ASCII.equalsIgnoringCase(scheme, "https".utf8) else { return .malformed }
            rest = rest[(schemeEnd + 3)...]
        }
        if rest.last == UInt8(ascii: "/") { rest = rest.dropLast() }
        if let colon = rest.firstIndex(of: UInt8(ascii: ":")) {
            let port = rest[(colon + 1)...]
            guard (1...5).contains(port.count), ASCII.all(port, ASCII.isDigit) else { return .malformed }
            let number = port.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard (1...65535).contains(number) else { return .malformed }
            rest = rest[..<colon]
        }
        guard (1...253).contains(rest.count) else { return .malformed }
        // Dot-separated labels, none empty: 1 to 63 letters, digits and hyphens, a letter or digit at each end.
        var labelStart = rest.startIndex
        for index in rest.indices where rest[index] == UInt8(ascii: ".") || index == rest.endIndex - 1 {
            let labelEnd = rest[index] == UInt8(ascii: ".") ? index : index + 1
            guard isLabel(rest[labelStart..<labelEnd]) else { return .malformed }
            labelStart = index + 1
        }
        // A trailing dot leaves an empty last label.
        return rest.last == UInt8(ascii: ".") ? .malformed : .valid
    }

    private static func isLabel(_ label: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
        return ASCII.isAlnum(first) && ASCII.isAlnum(last)
            && label.allSatisfy { ASCII.isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// Where the first `://` starts.
    private static func schemeSeparator(in bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard bytes.count >= 3 else { return nil }
        return (bytes.startIndex...(bytes.endIndex - 3)).first { start in
            bytes[start] == UInt8(ascii: ":") && bytes[start + 1] == UInt8(ascii: "/")
                && bytes[start + 2] == UInt8(ascii: "/")
        }
    }

    static let expected = "a host name such as oss-cn-hangzhou-internal.aliyuncs.com or an https:// URL with no path"
}
