internal import CSodium

/// The salt and Argon2id cost limits that turn a passphrase into a master key.
///
/// They are not secret; the catalog stores them in `meta` (see `bytes`) and must pass the same values
/// every time, or the derived key and therefore the check value will not match.
public struct PassphraseParameters: Sendable, Hashable, CustomStringConvertible {
    /// A 16-byte random salt.
    public var salt: [UInt8]
    /// Argon2id passes (`crypto_pwhash` `opslimit`).
    public var opsLimit: UInt64
    /// Argon2id memory in bytes (`crypto_pwhash` `memlimit`).
    public var memLimit: UInt64

    /// Creates parameters; by default a fresh random salt and libsodium's MODERATE limits
    /// (3 passes, 256 MiB, under a second on a server core).
    public init(
        salt: [UInt8] = SecureRandom.bytes(count: 16),
        opsLimit: UInt64 = PassphraseParameters.moderateOpsLimit,
        memLimit: UInt64 = PassphraseParameters.moderateMemLimit
    ) {
        self.salt = salt
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// `crypto_pwhash_OPSLIMIT_MODERATE`.
    public static var moderateOpsLimit: UInt64 {
        Sodium.ensureInitialized()
        return UInt64(crypto_pwhash_opslimit_moderate())
    }
    /// `crypto_pwhash_MEMLIMIT_MODERATE`.
    public static var moderateMemLimit: UInt64 {
        Sodium.ensureInitialized()
        return UInt64(crypto_pwhash_memlimit_moderate())
    }

    /// A fresh salt with the smallest limits libsodium accepts: fast, and only for tests.
    public static var minimumForTests: PassphraseParameters {
        Sodium.ensureInitialized()
        return PassphraseParameters(
            opsLimit: UInt64(crypto_pwhash_opslimit_min()), memLimit: UInt64(crypto_pwhash_memlimit_min()))
    }

    public var description: String {
        "PassphraseParameters(argon2id, opsLimit: \(opsLimit), memLimit: \(memLimit), salt: \(Hex.encode(salt)))"
    }

    static let formatVersion: UInt8 = 1
    static let encodedLength = 1 + SodiumSize.passphraseSalt + 8 + 8

    /// The stored form: `version (1) = 1 | salt (16) | opsLimit (8, big-endian) | memLimit (8, big-endian)`.
    public var bytes: [UInt8] {
        var result: [UInt8] = [Self.formatVersion]
        result += salt
        result.appendBigEndian(opsLimit)
        result.appendBigEndian(memLimit)
        return result
    }

    /// Reads the stored form written by `bytes`.
    ///
    /// - Throws: `SealingError` `.invalidValue` (`.unknownVersion`) for another format version,
    ///   `.integrityError` (`.truncated`) for a wrong length.
    public init(bytes: [UInt8]) throws(SealingError) {
        guard let version = bytes.first, version == Self.formatVersion else {
            throw .invalid(
                .unknownVersion, "the stored passphrase parameters have an unknown format version; use a newer program")
        }
        guard bytes.count == Self.encodedLength else {
            throw .integrity(
                .truncated, "the stored passphrase parameters are \(bytes.count) bytes, not \(Self.encodedLength)")
        }
        self.salt = Array(bytes[1..<(1 + SodiumSize.passphraseSalt)])
        self.opsLimit = bytes.bigEndianUInt64(at: 1 + SodiumSize.passphraseSalt)
        self.memLimit = bytes.bigEndianUInt64(at: 1 + SodiumSize.passphraseSalt + 8)
    }

    /// Checks the salt length and that both limits are within libsodium's Argon2id bounds.
    func validate() throws(SealingError) {
        Sodium.ensureInitialized()
        guard salt.count == SodiumSize.passphraseSalt else {
            throw .invalid(
                .invalidParameters, "the passphrase salt must be \(SodiumSize.passphraseSalt) bytes, not \(salt.count)")
        }
        let ops = UInt64(crypto_pwhash_opslimit_min())...UInt64(crypto_pwhash_opslimit_max())
        let mem = UInt64(crypto_pwhash_memlimit_min())...UInt64(crypto_pwhash_memlimit_max())
        guard ops.contains(opsLimit), mem.contains(memLimit) else {
            throw .invalid(
                .invalidParameters,
                "passphrase limits out of range: opsLimit must be in \(ops.lowerBound)...\(ops.upperBound) "
                    + "and memLimit in \(mem.lowerBound)...\(mem.upperBound)")
        }
    }
}
