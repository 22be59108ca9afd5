internal import CSodium

/// The one place that initialises libsodium, and the version of the library (`Sodium.version`).
///
/// `sodium_init()` must run before any other libsodium call (it sets up the random source and the page
/// size used by guarded memory). A `static let` is initialised lazily and exactly once, thread-safely,
/// so every entry point of this target calls `Sodium.ensureInitialized()` first and pays only an atomic
/// load after the first time.
public enum Sodium: Sendable {
    private static let initialization: Void = {
        // sodium_init returns 0 on success, 1 if already initialised, -1 on failure.
        let result = sodium_init()
        precondition(result >= 0, "libsodium could not be initialised (sodium_init returned \(result))")
    }()

    /// Runs `sodium_init()` once per process; cheap afterwards.
    @inline(__always)
    static func ensureInitialized() {
        _ = initialization
    }
}

/// Sizes of the primitives this target uses, pinned by the tests to libsodium's own values.
enum SodiumSize {
    /// `crypto_aead_xchacha20poly1305_ietf_KEYBYTES`.
    static let aeadKey = 32
    /// `crypto_aead_xchacha20poly1305_ietf_NPUBBYTES`.
    static let aeadNonce = 24
    /// `crypto_aead_xchacha20poly1305_ietf_ABYTES`.
    static let aeadTag = 16
    /// `crypto_kdf_KEYBYTES`.
    static let kdfKey = 32
    /// `crypto_kdf_CONTEXTBYTES`.
    static let kdfContext = 8
    /// `crypto_generichash_BYTES` (the output length used for checksums).
    static let checksum = 32
    /// `crypto_generichash_KEYBYTES`.
    static let checksumKey = 32
    /// `crypto_pwhash_SALTBYTES`.
    static let passphraseSalt = 16
}

/// Writes zeros over `buffer` in a way the compiler cannot elide. Wraps `sodium_memzero`.
@inline(__always)
func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    sodium_memzero(base, buffer.count)
}

/// Writes zeros over an array's storage. Wraps `sodium_memzero`.
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { wipe($0) }
}

/// Compares two byte buffers in time that depends only on their length. Wraps `sodium_memcmp`.
func constantTimeEqual(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard lhs.count > 0, let l = lhs.baseAddress, let r = rhs.baseAddress else { return true }
    return sodium_memcmp(l, r, lhs.count) == 0
}

extension Array where Element == UInt8 {
    /// Appends `value` as four big-endian bytes.
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends `value` as eight big-endian bytes.
    mutating func appendBigEndian(_ value: UInt64) {
        appendBigEndian(UInt32(truncatingIfNeeded: value >> 32))
        appendBigEndian(UInt32(truncatingIfNeeded: value))
    }
}

extension Collection where Element == UInt8, Index == Int {
    /// Reads four big-endian bytes starting at `offset`; the caller has checked the length.
    func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
            | UInt32(self[offset + 3])
    }

    /// Reads eight big-endian bytes starting at `offset`; the caller has checked the length.
    func bigEndianUInt64(at offset: Int) -> UInt64 {
        UInt64(bigEndianUInt32(at: offset)) << 32 | UInt64(bigEndianUInt32(at: offset + 4))
    }
}
