internal import ConnectionCatalog

/// The text forms of values that `DESC` and `SHOW` show, the same in every output format.
///
/// These are written by hand, without Foundation, so that the output does not depend on locale, time zone or
/// platform: the same catalog prints the same bytes everywhere.
public enum ValueFormat: Sendable {
    /// Formats a time as UTC ISO 8601 with milliseconds, such as `2025-05-11T09:36:51.548Z` (the catalog's one
    /// time format, `Timestamp.iso8601(millisecondsSinceEpoch:)`, which backups write too).
    public static func timestamp(millisecondsSinceEpoch: Int64) -> String {
        Timestamp.iso8601(millisecondsSinceEpoch: millisecondsSinceEpoch)
    }

    /// Formats whether a connection is enabled: `ENABLED` or `DISABLED`.
    public static func enabled(_ isEnabled: Bool) -> String {
        isEnabled ? "ENABLED" : "DISABLED"
    }

    /// Masks a key id: its first 6 characters, then one `*` for each further character.
    ///
    /// A key id of 6 characters or fewer would be shown whole by that rule, so it is shown as all `*` instead
    /// (one per character); an empty key id stays empty. Characters are grapheme clusters, so a mask never
    /// splits one. Only key ids are masked this way; secrets are never shown at all.
    public static func maskedKeyID(_ keyID: String) -> String {
        let visibleCount = 6
        guard keyID.count > visibleCount else {
            return String(repeating: "*", count: keyID.count)
        }
        return String(keyID.prefix(visibleCount)) + String(repeating: "*", count: keyID.count - visibleCount)
    }
}
