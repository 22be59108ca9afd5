internal import Foundation

/// Searches text, files and directories for planted secrets, in raw, base64 and hex form.
///
/// Base64 is searched at all three byte alignments (the stable middle of the encoding), so a secret
/// embedded inside a longer base64 blob is found too; both the standard and URL-safe alphabets are
/// tried, and hex in both cases.
public struct SecretScanner: Sendable {
    /// Where a planted secret was found.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        /// `text`, or the path of the file.
        public var location: String
        /// Byte offset of the match within the text or file.
        public var offset: Int
        /// Which form matched: `raw`, `base64`, `base64url`, `hex`, `HEX`.
        public var form: String
        public var description: String { "\(form) form of a planted secret at \(location):\(offset)" }
    }

    private let patterns: [(form: String, bytes: [UInt8])]

    /// Scans for each of `secrets`.
    public init(_ secrets: PlantedSecret...) {
        self.init(secrets: secrets)
    }

    /// Scans for each of `secrets`.
    public init(secrets: [PlantedSecret]) {
        var patterns: [(form: String, bytes: [UInt8])] = []
        for secret in secrets {
            let raw = secret.bytes
            patterns.append(("raw", raw))
            let hex = raw.map { String(format: "%02x", $0) }.joined()
            patterns.append(("hex", Array(hex.utf8)))
            patterns.append(("HEX", Array(hex.uppercased().utf8)))
            for fragment in Self.base64Fragments(of: raw) {
                patterns.append(("base64", Array(fragment.utf8)))
                let url = fragment.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                if url != fragment { patterns.append(("base64url", Array(url.utf8))) }
            }
        }
        self.patterns = patterns
    }

    /// For each alignment k in 0..<3, the base64 characters that depend only on the secret's bits when
    /// it follows k other bytes.
    static func base64Fragments(of secret: [UInt8]) -> [String] {
        (0..<3).map { k in
            let encoded = Array((Data(repeating: 0, count: k) + Data(secret)).base64EncodedString().utf8)
            let first = (8 * k + 5) / 6  // first character wholly inside the secret's bits
            let last = (8 * (k + secret.count)) / 6  // one past the last such character
            return String(decoding: encoded[first..<last], as: UTF8.self)
        }
    }

    /// Findings in `text` (its UTF-8 bytes).
    public func findings(in text: String) -> [Finding] {
        findings(in: Array(text.utf8), location: "text")
    }

    /// Findings in `bytes`, reported at `location`.
    public func findings(in bytes: [UInt8], location: String) -> [Finding] {
        var result: [Finding] = []
        for pattern in patterns {
            for offset in Self.occurrences(of: pattern.bytes, in: bytes) {
                result.append(Finding(location: location, offset: offset, form: pattern.form))
            }
        }
        return result
    }

    /// Findings in the file at `path`.
    public func findings(inFileAt path: String) throws -> [Finding] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return findings(in: [UInt8](data), location: path)
    }

    /// Findings in every regular file under `path`, recursively.
    public func findings(inDirectory path: String) throws -> [Finding] {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: path) else { return [] }
        var result: [Finding] = []
        for case let relative as String in enumerator {
            let full = (path as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            result += try findings(inFileAt: full)
        }
        return result
    }

    private static func occurrences(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return [] }
        var result: [Int] = []
        let first = pattern[0]
        var index = 0
        let limit = bytes.count - pattern.count
        while index <= limit {
            if bytes[index] == first, bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                result.append(index)
            }
            index += 1
        }
        return result
    }
}
