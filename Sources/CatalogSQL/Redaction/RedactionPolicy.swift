/// Rules that decide which property values are secrets, for `Statement.redacted(isSecret:)`.
///
/// The catalog layer knows each type's sealed properties exactly and should supply its own
/// predicate; `conservative` is the fallback for places that run before or without the catalog
/// (syntax errors, the shell's history, `description`). It prefers hiding too much to too little.
public enum RedactionPolicy {
    /// Treats a key as secret when, for any connection type, it might be one.
    ///
    /// The key is compared without case and without a `cloud_function.` / `storage.` style prefix.
    /// Secret: ACCESS_KEY (OSS's secret, and an old alias of S3's ACCESS_KEY_ID: hidden either way),
    /// SECRET_KEY, SECRET_ACCESS_KEY, EXTERNAL_ID, any key containing SECRET, PASSWORD, TOKEN or
    /// CREDENTIAL, and any key ending in _KEY. Not secret: ACCESS_KEY_ID, ACCESS_ID and the rest.
    /// The type name is ignored, so the rule also serves ALTER … SET, whose type is not in the text.
    public static let conservative: @Sendable (_ typeName: String, _ key: String) -> Bool = { _, key in
        isConservativelySecret(key: key)
    }

    /// The rule behind `conservative`, for a single key.
    public static func isConservativelySecret(key: String) -> Bool {
        var normalized = String(key.uppercased().map { $0 == "-" ? "_" : $0 })
        if let dot = normalized.lastIndex(of: ".") {
            normalized = String(normalized[normalized.index(after: dot)...])
        }
        normalized = String(normalized.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        switch normalized {
        case "ACCESS_KEY", "SECRET_KEY", "SECRET_ACCESS_KEY", "EXTERNAL_ID", "KEY":
            return true
        case "ACCESS_KEY_ID", "ACCESS_ID":
            return false
        default:
            return normalized.contains("SECRET") || normalized.contains("PASSWORD") || normalized.contains("TOKEN")
                || normalized.contains("CREDENTIAL") || normalized.hasSuffix("_KEY")
        }
    }
}
