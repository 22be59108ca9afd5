internal import CatalogStorage

/// The keys of the `meta` database.
enum MetaKey {
    /// The storage format, a big-endian UInt32; only 1 exists.
    static let format = "format"
    /// The on-disk schema version, a big-endian UInt32.
    static let schemaVersion = "schema_version"
    /// 16 random bytes naming this catalog; bound into every sealed value's additional data.
    static let catalogID = "catalog_id"
    /// The keyring, wrapped by the master key (docs/sealing.md).
    static let keyring = "keyring"
    /// The master key's check value: a wrong key is refused before anything else happens.
    static let checkValue = "check_value"
    /// Argon2id salt and limits, present when the master key comes from a passphrase.
    static let passphrase = "passphrase"
    /// Creation time, milliseconds since the epoch, big-endian Int64.
    static let createdAt = "created_at"
    /// On a store: the revision through which the change log was trimmed (`Catalog.trimChangeLog`), UInt64 BE.
    static let changesTrimmed = "changes.trimmed"

    /// `migration/<version>`: when the migration to that version ran.
    static func migration(_ version: Int) -> String { "migration/\(fourDigits(version))" }
    /// `setting/<name>`: a catalog setting's UTF-8 value.
    static func setting(_ name: String) -> String { "setting/\(name)" }
    static let settingPrefix = "setting/"

    static func key(_ name: String) -> RecordKey {
        // Meta keys are short constants or a setting name checked by `Catalog.setSetting`.
        do { return try RecordKey(name) } catch { preconditionFailure("meta key '\(name)' is invalid: \(error)") }
    }
}

/// `version` as at least four decimal digits, so migration keys sort in version order.
func fourDigits(_ version: Int) -> String {
    let digits = String(version)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Big-endian fixed-width integers for `meta` values and history keys.
enum BigEndian {
    static func bytes(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
    static func bytes(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    static func uint64(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func uint32(_ bytes: some Collection<UInt8>) -> UInt32? {
        guard bytes.count == 4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
