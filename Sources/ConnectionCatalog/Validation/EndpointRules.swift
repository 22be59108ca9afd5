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
        var rest = Substring(endpoint).utf8[...]
        if let schemeEnd = firstIndex(of: "://", in: rest) {
            let scheme = rest[..<schemeEnd]
            if ASCII.equalsIgnoringCase(scheme, "http".utf8) { return .insecureScheme }
            guard ASCII.equalsIgnoringCase(scheme, "https".utf8) else { return .malformed }
            rest = rest[rest.index(schemeEnd, offsetBy: 3)...]
        }
        if rest.last == UInt8(ascii: "/") { rest = rest.dropLast() }
        if let colon = rest.firstIndex(of: UInt8(ascii: ":")) {
            let port = rest[rest.index(after: colon)...]
            guard (1...5).contains(port.count), ASCII.all(port, ASCII.isDigit),
                let number = Int(String(decoding: port, as: UTF8.self)), (1...65535).contains(number)
            else { return .malformed }
            rest = rest[..<colon]
        }
        guard (1...253).contains(rest.count) else { return .malformed }
        let labels = rest.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let valid = labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            return ASCII.isAlnum(first) && ASCII.isAlnum(last)
                && label.allSatisfy { ASCII.isAlnum($0) || $0 == UInt8(ascii: "-") }
        }
        return valid ? .valid : .malformed
    }

    private static func firstIndex(
        of needle: String, in haystack: Substring.UTF8View.SubSequence
    ) -> Substring.UTF8View.Index? {
        var index = haystack.startIndex
        while index != haystack.endIndex {
            if haystack[index...].starts(with: needle.utf8) { return index }
            index = haystack.index(after: index)
        }
        return nil
    }

    static let expected = "a host name such as oss-cn-hangzhou-internal.aliyuncs.com or an https:// URL with no path"
}
