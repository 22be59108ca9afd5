/// Rules that decide which property values are secrets, for `Statement.redacted(isSecret:)`.
///
/// The catalog layer knows each type's sealed properties exactly and should supply its own
/// predicate; `conservative` is the fallback for places that run before or without the catalog
/// (syntax errors, the shell's history, `description`). It prefers hiding too much to too little.
public enum RedactionPolicy: Sendable {
    /// Treats a key as secret when, for any connection type, it might be one.
    ///
    /// The key is compared without case, without a `cloud_function.` / `storage.` style prefix,
    /// without surrounding spaces, and with `-` read as `_`.
    /// Secret: ACCESS_KEY (OSS's secret, and an old alias of S3's ACCESS_KEY_ID: hidden either way),
    /// SECRET_KEY, SECRET_ACCESS_KEY, EXTERNAL_ID, any key containing SECRET, PASSWORD, TOKEN or
    /// CREDENTIAL, any key ending in _KEY, and any key within two edits of a secret key's name (`ACCESSKEY`,
    /// `ACCESS_KY`, `SECRT_KEY`: a misspelled secret key usually holds the secret). Not secret: ACCESS_KEY_ID,
    /// ACCESS_ID and the rest.
    /// The type name is ignored, so the rule also serves ALTER … SET, whose type is not in the text.
    public static let conservative: @Sendable (_ typeName: String, _ key: String) -> Bool = { _, key in
        isConservativelySecret(key: key)
    }

    /// The rule behind `conservative`, for a single key.
    public static func isConservativelySecret(key: String) -> Bool {
        let word = normalized(key)
        switch word {
        case Array("ACCESS_KEY".utf8), Array("SECRET_KEY".utf8), Array("SECRET_ACCESS_KEY".utf8),
            Array("EXTERNAL_ID".utf8), Array("KEY".utf8):
            return true
        case Array("ACCESS_KEY_ID".utf8), Array("ACCESS_ID".utf8):
            return false
        default:
            return contains(word, "SECRET") || contains(word, "PASSWORD") || contains(word, "TOKEN")
                || contains(word, "CREDENTIAL") || word.reversed().starts(with: "YEK_".utf8)
                || secretNames.contains { editDistance(word, $0) <= 2 }
        }
    }

    /// The names of the secret properties, whose near misses are hidden too.
    private static let secretNames = ["ACCESS_KEY", "SECRET_KEY", "SECRET_ACCESS_KEY", "EXTERNAL_ID"].map {
        Array($0.utf8)
    }

    /// Levenshtein distance over bytes (keys are ASCII), in one row of memory.
    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard abs(a.count - b.count) <= 2 else { return 3 }
        var row = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var diagonal = row[0]
            row[0] = i + 1
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = min(above + 1, row[j] + 1, diagonal + (x == y ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }

    /// The part after the last `.`, trimmed of spaces, ASCII upper case, `-` as `_`.
    private static func normalized(_ key: String) -> [UInt8] {
        var bytes = Array(key.utf8)
        if let dot = bytes.lastIndex(of: UInt8(ascii: ".")) { bytes.removeSubrange(...dot) }
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != UInt8(ascii: " ") } ?? bytes.endIndex
        bytes.removeSubrange(..<start)
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes[index] -= 0x20
            case UInt8(ascii: "-"): bytes[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return bytes
    }

    private static func contains(_ word: [UInt8], _ part: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: part.utf8Start, count: part.utf8CodeUnitCount)
        guard word.count >= needle.count else { return false }
        for start in 0...(word.count - needle.count) where word[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
