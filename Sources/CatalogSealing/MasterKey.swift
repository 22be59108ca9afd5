internal import CSodium

/// The catalog's 32-byte master key: it wraps the keyring and derives every other sub-key.
///
/// The master key is never used directly to seal anything. Each purpose gets its own sub-key from
/// `crypto_kdf_derive_from_key` (see `SubKeyPurpose` and docs/sealing.md), so a weakness in one use
/// cannot spill into another. The bytes stay in guarded memory and never print.
public struct MasterKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The length of a master key in bytes.
    public static let byteCount = 32

    let secret: SecretBytes

    /// Wraps existing key material.
    ///
    /// - Throws: `SealingError` `.invalidValue` (`.invalidKeyLength`) unless `bytes` holds exactly 32 bytes.
    public init(bytes: SecretBytes) throws(SealingError) {
        guard bytes.count == Self.byteCount else {
            throw .invalid(
                .invalidKeyLength,
                "a master key must be exactly \(Self.byteCount) bytes, not \(bytes.count)",
                details: ["length": String(bytes.count)])
        }
        self.secret = bytes
    }

    /// Generates a fresh random master key. Wraps `crypto_kdf_keygen`.
    public static func generate() -> MasterKey {
        Sodium.ensureInitialized()
        let bytes = SecretBytes(count: byteCount) { (buffer: UnsafeMutableRawBufferPointer) in
            crypto_kdf_keygen(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return MasterKey(unchecked: bytes)
    }

    init(unchecked bytes: SecretBytes) {
        precondition(bytes.count == Self.byteCount)
        self.secret = bytes
    }

    /// Compares two master keys in constant time.
    public func isEqual(to other: MasterKey) -> Bool { secret.isEqual(to: other.secret) }

    public var description: String { "MasterKey(<redacted>)" }
    public var debugDescription: String { description }

    /// Derives the 32-byte sub-key for `purpose`. Wraps `crypto_kdf_derive_from_key`.
    func subKey(for purpose: SubKeyPurpose) -> SecretBytes {
        SecretBytes(count: SodiumSize.aeadKey) { (out: UnsafeMutableRawBufferPointer) in
            secret.withBytes { master in
                purpose.context.withUnsafeBufferPointer { context in
                    context.withMemoryRebound(to: CChar.self) { chars in
                        let status = crypto_kdf_derive_from_key(
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count, purpose.subKeyID,
                            chars.baseAddress!, master.baseAddress!.assumingMemoryBound(to: UInt8.self))
                        precondition(status == 0, "crypto_kdf_derive_from_key rejected a 32-byte sub-key")
                    }
                }
            }
        }
    }
}

/// The purposes a master key is split into, each with its own 8-byte KDF context.
///
/// Contexts and ids are part of the on-disk format: changing one makes existing catalogs unreadable.
enum SubKeyPurpose: CaseIterable {
    /// Wraps each data key of the keyring (XChaCha20-Poly1305). Context `CCkeyrng`, id 1.
    case keyringWrapping
    /// Seals the check value that detects a wrong master key. Context `CCcheckv`, id 1.
    case checkValue
    /// Keys the BLAKE2b checksum of backups. Context `CCbackup`, id 1.
    case backupChecksum
    /// Keys the BLAKE2b fingerprints of data keys. Context `CCfngrpt`, id 1.
    case keyFingerprint

    var context: [UInt8] {
        let text: String
        switch self {
        case .keyringWrapping: text = "CCkeyrng"
        case .checkValue: text = "CCcheckv"
        case .backupChecksum: text = "CCbackup"
        case .keyFingerprint: text = "CCfngrpt"
        }
        let bytes = Array(text.utf8)
        precondition(bytes.count == SodiumSize.kdfContext)
        return bytes
    }

    var subKeyID: UInt64 { 1 }
}
