internal import CSodium

/// The key of backup checksums: the master key's `CCbackup` sub-key.
///
/// Only a holder of the master key can compute or check a checksum, so a backup cannot be replaced by a
/// forged one with a matching checksum.
public struct ChecksumKey: Sendable, CustomStringConvertible {
    let secret: SecretBytes

    /// Derives the checksum key from `master`.
    public init(master: MasterKey) {
        self.secret = master.subKey(for: .backupChecksum)
    }

    /// Starts a streaming checksum under this key.
    public func makeChecksum() -> StreamingChecksum { StreamingChecksum(key: self) }

    /// The checksum of `bytes` in one call.
    public func checksum(of bytes: [UInt8]) -> [UInt8] {
        let checksum = makeChecksum()
        checksum.update(bytes)
        return checksum.finalize()
    }

    public var description: String { "ChecksumKey(<redacted>)" }
}

/// A keyed BLAKE2b checksum (32 bytes) computed over data fed in pieces.
///
/// Wraps `crypto_generichash_init`, `_update` and `_final`. Not thread-safe: one owner feeds it, then
/// calls `finalize()` exactly once.
public final class StreamingChecksum {
    /// The checksum length in bytes.
    public static let byteCount = 32

    private let memory: UnsafeMutableRawPointer
    // libsodium's state type is 64-byte aligned, which Swift imports as an opaque pointer.
    private var state: OpaquePointer { OpaquePointer(memory) }
    private var finished = false

    init(key: ChecksumKey) {
        Sodium.ensureInitialized()
        // crypto_generichash_state must be 64-byte aligned.
        memory = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
        let status = key.secret.withBytes { key in
            crypto_generichash_init(
                state, key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count, Self.byteCount)
        }
        precondition(status == 0, "crypto_generichash_init rejected a 32-byte key")
    }

    deinit {
        sodium_memzero(memory, crypto_generichash_statebytes())
        memory.deallocate()
    }

    /// Feeds `bytes` into the checksum.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "update after finalize")
        _ = crypto_generichash_update(
            state, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    /// Feeds `bytes` into the checksum.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Returns the 32-byte checksum; the checksum cannot be updated afterwards.
    public func finalize() -> [UInt8] {
        precondition(!finished, "finalize called twice")
        finished = true
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        out.withUnsafeMutableBufferPointer { out in
            _ = crypto_generichash_final(state, out.baseAddress!, out.count)
        }
        return out
    }

    /// Lower-case hex of a checksum, for manifests.
    public static func hex(_ checksum: [UInt8]) -> String { Hex.encode(checksum) }

    /// Compares a computed and a stored checksum in constant time.
    public static func matches(_ computed: [UInt8], _ stored: [UInt8]) -> Bool {
        computed.withUnsafeBytes { a in stored.withUnsafeBytes { b in constantTimeEqual(a, b) } }
    }
}

@available(*, unavailable)
extension StreamingChecksum: Sendable {}
