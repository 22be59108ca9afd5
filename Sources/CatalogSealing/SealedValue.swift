/// A sealed secret as stored: `version (1) = 1 | key id (4, BE) | nonce (24) | ciphertext + tag (16)`.
///
/// Parsing checks the version and the minimum length before anything is decrypted, so a value from a
/// newer program or a cut-off record is reported as such rather than as a failed decryption. Equality
/// and hashing are over the bytes. The description shows the key id and length, never the bytes.
public struct SealedValue: Sendable, Hashable, CustomStringConvertible {
    /// The envelope format version this program writes and reads.
    public static let currentVersion: UInt8 = 1
    /// Bytes before the ciphertext: version and key id (also authenticated as additional data).
    static let headerLength = 5
    /// Where the nonce lies in an envelope.
    static var nonceRange: Range<Int> { headerLength..<(headerLength + SodiumSize.aeadNonce) }
    /// The shortest valid envelope: header, nonce and tag around an empty plaintext (45 bytes).
    public static let minimumLength = headerLength + SodiumSize.aeadNonce + SodiumSize.aeadTag

    /// The whole envelope.
    public let bytes: [UInt8]

    /// Parses an envelope.
    ///
    /// - Throws: `SealingError` `.integrityError` (`.truncated`) if shorter than 45 bytes;
    ///   `.invalidValue` (`.unknownVersion`) if the first byte is not a version this program knows.
    public init(bytes: [UInt8]) throws(SealingError) {
        try Self.check(bytes)
        self.bytes = bytes
    }

    /// Checks the version and the minimum length of an envelope, as `init(bytes:)` does, without copying it.
    static func check(_ bytes: some Collection<UInt8>) throws(SealingError) {
        guard let version = bytes.first else {
            throw .integrity(.truncated, "sealed value is empty; the record holding it is damaged")
        }
        guard version == Self.currentVersion else {
            throw .invalid(
                .unknownVersion,
                "sealed value has envelope version \(version), which this program does not know "
                    + "(it reads version \(Self.currentVersion)); open the catalog with a newer program",
                details: ["version": String(version)])
        }
        guard bytes.count >= Self.minimumLength else {
            throw .integrity(
                .truncated,
                "sealed value is \(bytes.count) bytes, shorter than the \(Self.minimumLength)-byte minimum; "
                    + "the record holding it is damaged",
                details: ["length": String(bytes.count)])
        }
    }

    init(validated bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The id of the data key that sealed this value.
    public var keyID: UInt32 { bytes.bigEndianUInt32(at: 1) }

    /// The length of the sealed plaintext.
    public var plaintextCount: Int { bytes.count - Self.minimumLength }

    public var description: String { "SealedValue(keyID: \(keyID), \(bytes.count) bytes)" }
}
