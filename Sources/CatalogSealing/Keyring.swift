internal import CSodium

/// The data keys that seal records: each 32 bytes, each with a `UInt32` id.
///
/// The newest key seals; every key opens, so values sealed before a rotation stay readable until they
/// are re-sealed. A keyring is immutable: `rotated()` returns a new one. It is stored only wrapped by
/// the master key (`wrapped(by:)`), never in the clear.
public struct Keyring: Sendable, CustomStringConvertible {
    let keys: [UInt32: SecretBytes]
    /// The id of the key that seals new values.
    public let newestKeyID: UInt32

    /// The length of a data key in bytes.
    public static let keyByteCount = 32

    /// Builds a keyring from explicit keys (for test vectors and tools); the highest id seals.
    package init(dataKeys: [UInt32: SecretBytes]) {
        precondition(!dataKeys.isEmpty, "a keyring holds at least one key")
        precondition(dataKeys.values.allSatisfy { $0.count == Self.keyByteCount }, "data keys are 32 bytes")
        self.keys = dataKeys
        self.newestKeyID = dataKeys.keys.max()!
    }

    /// A new keyring with one fresh random key, id 1.
    public static func generate() -> Keyring {
        Keyring(dataKeys: [1: newKey()])
    }

    private static func newKey() -> SecretBytes {
        Sodium.ensureInitialized()
        return SecretBytes(count: keyByteCount) { (buffer: UnsafeMutableRawBufferPointer) in
            crypto_aead_xchacha20poly1305_ietf_keygen(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The ids of all keys, ascending.
    public var keyIDs: [UInt32] { keys.keys.sorted() }

    /// A keyring with every key of this one plus a fresh key with the next id, which becomes the newest.
    ///
    /// Traps if the ids are exhausted (more than four billion rotations).
    public func rotated() -> Keyring {
        precondition(newestKeyID < UInt32.max, "data key ids are exhausted")
        var next = keys
        next[newestKeyID + 1] = Self.newKey()
        return Keyring(dataKeys: next)
    }

    /// The data key with `id`, or `nil`.
    func key(withID id: UInt32) -> SecretBytes? { keys[id] }

    public var description: String { "Keyring(keyIDs: \(keyIDs), newest: \(newestKeyID))" }
}

// MARK: - Wrapping

extension Keyring {
    static let wrappedFormatVersion: UInt8 = 1
    static let wrappedEntryLength = 4 + SodiumSize.aeadNonce + keyByteCount + SodiumSize.aeadTag

    /// Wraps every data key under the master key's keyring-wrapping sub-key, for storage in `meta`.
    ///
    /// Format: `version (1) = 1 | count (4, BE) | count × [key id (4, BE) | nonce (24) | wrapped key (32) +
    /// tag (16)]`, ids ascending. Each key is sealed with XChaCha20-Poly1305; its additional data is
    /// `version | key id`, so an id cannot be swapped onto another key.
    public func wrapped(by master: MasterKey) -> [UInt8] {
        let wrappingKey = master.subKey(for: .keyringWrapping)
        var result: [UInt8] = [Self.wrappedFormatVersion]
        result.reserveCapacity(5 + keys.count * Self.wrappedEntryLength)
        result.appendBigEndian(UInt32(keys.count))
        for id in keyIDs {
            var header: [UInt8] = [Self.wrappedFormatVersion]
            header.appendBigEndian(id)
            let nonce = SecureRandom.bytes(count: SodiumSize.aeadNonce)
            var sealed = [UInt8](repeating: 0, count: Self.keyByteCount + SodiumSize.aeadTag)
            sealed.withUnsafeMutableBytes { output in
                keys[id]!.withBytes { dataKey in
                    wrappingKey.withBytes { key in
                        header.withUnsafeBytes { ad in
                            nonce.withUnsafeBytes { nonce in
                                AEAD.encrypt(dataKey, additionalData: ad, nonce: nonce, key: key, into: output)
                            }
                        }
                    }
                }
            }
            result.appendBigEndian(id)
            result += nonce
            result += sealed
        }
        return result
    }

    /// Unwraps a keyring stored by `wrapped(by:)`.
    ///
    /// - Throws: `SealingError` `.wrongKey` if no key opens under `master` (the master key is wrong);
    ///   `.integrityError` if some keys open and others do not (tampering), or the bytes are truncated
    ///   or malformed; `.invalidValue` (`.unknownVersion`) for a format this program does not know.
    public static func unwrap(_ bytes: [UInt8], with master: MasterKey) throws(SealingError) -> Keyring {
        guard let version = bytes.first else {
            throw .integrity(.truncated, "the stored keyring is empty; the catalog's key metadata is damaged")
        }
        guard version == wrappedFormatVersion else {
            throw .invalid(
                .unknownVersion,
                "the stored keyring has format version \(version), which this program does not know; "
                    + "use a newer program")
        }
        guard bytes.count >= 5 else {
            throw .integrity(.truncated, "the stored keyring is truncated; the catalog's key metadata is damaged")
        }
        let count = Int(bytes.bigEndianUInt32(at: 1))
        guard count > 0, bytes.count == 5 + count * wrappedEntryLength else {
            throw .integrity(
                count == 0 ? .malformed : .truncated,
                "the stored keyring does not hold \(count) whole keys; the catalog's key metadata is damaged")
        }
        let wrappingKey = master.subKey(for: .keyringWrapping)
        var keys: [UInt32: SecretBytes] = [:]
        var failures = 0
        var previousID: UInt32? = nil
        for index in 0..<count {
            let start = 5 + index * wrappedEntryLength
            let id = bytes.bigEndianUInt32(at: start)
            if let previousID, id <= previousID {
                throw .integrity(.malformed, "the stored keyring lists key ids out of order; its metadata is damaged")
            }
            previousID = id
            var header: [UInt8] = [wrappedFormatVersion]
            header.appendBigEndian(id)
            let opened = bytes.withUnsafeBytes { all -> SecretBytes? in
                let nonce = UnsafeRawBufferPointer(rebasing: all[(start + 4)..<(start + 4 + SodiumSize.aeadNonce)])
                let sealed = UnsafeRawBufferPointer(
                    rebasing: all[(start + 4 + SodiumSize.aeadNonce)..<(start + wrappedEntryLength)])
                return try? SecretBytes(count: keyByteCount) {
                    (output: UnsafeMutableRawBufferPointer) throws(SealingError) in
                    let ok = wrappingKey.withBytes { key in
                        header.withUnsafeBytes { ad in
                            AEAD.decrypt(sealed, additionalData: ad, nonce: nonce, key: key, into: output)
                        }
                    }
                    if !ok { throw .integrity(.authenticationFailed, "") }
                }
            }
            if let opened { keys[id] = opened } else { failures += 1 }
        }
        if failures == count {
            throw .wrongKey(
                "the master key cannot unwrap this catalog's keyring; supply the key the catalog was created "
                    + "or last rekeyed with")
        }
        if failures > 0 {
            throw .integrity(
                .authenticationFailed,
                "\(failures) of \(count) data keys in the stored keyring failed authentication; "
                    + "the keyring was altered, restore it from a backup")
        }
        return Keyring(dataKeys: keys)
    }

    /// Fingerprints of the data keys for manifests and logs: hex of a keyed BLAKE2b-128 of
    /// `key id (4, BE) | data key`, keyed by the master key's fingerprint sub-key.
    ///
    /// A fingerprint identifies a key without revealing it, and only someone holding the master key can
    /// compute one. Fingerprints therefore change when the master key changes (rekey).
    public func fingerprints(with master: MasterKey) -> [(keyID: UInt32, fingerprint: String)] {
        let fingerprintKey = master.subKey(for: .keyFingerprint)
        return keyIDs.map { id in
            var input: [UInt8] = []
            input.appendBigEndian(id)
            var digest = [UInt8](repeating: 0, count: 16)
            let message = SecretBytes(count: 4 + Self.keyByteCount) { (buffer: UnsafeMutableRawBufferPointer) in
                input.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[0..<4]).copyMemory(from: $0) }
                keys[id]!.withBytes {
                    UnsafeMutableRawBufferPointer(rebasing: buffer[4...]).copyMemory(from: $0)
                }
            }
            digest.withUnsafeMutableBytes { out in
                message.withBytes { message in
                    fingerprintKey.withBytes { key in
                        _ = crypto_generichash(
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count,
                            message.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                            key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count)
                    }
                }
            }
            return (keyID: id, fingerprint: Hex.encode(digest))
        }
    }
}
