/// The check value: a known constant sealed under the check-value sub-key of the master key.
///
/// Format (57 bytes): `version (1) = 1 | nonce (24) | ciphertext of "catalog-check-v1" (16) + tag (16)`;
/// the AEAD additional data is the version byte. Opening it proves the master key is the one that
/// made it, without revealing anything about the key.
extension MasterKey {
    static let checkValueVersion: UInt8 = 1
    static let checkPlaintext: [UInt8] = Array("catalog-check-v1".utf8)
    static let checkValueLength = 1 + SodiumSize.aeadNonce + 16 + SodiumSize.aeadTag

    /// Seals a fresh check value for this key; store it beside the wrapped keyring.
    ///
    /// Each call uses a new random nonce, so two check values of the same key differ; both verify.
    public func makeCheckValue() -> [UInt8] {
        let subKey = subKey(for: .checkValue)
        var result: [UInt8] = [Self.checkValueVersion]
        let nonce = SecureRandom.bytes(count: SodiumSize.aeadNonce)
        result += nonce
        result += [UInt8](repeating: 0, count: Self.checkPlaintext.count + SodiumSize.aeadTag)
        result.withUnsafeMutableBytes { buffer in
            let header = UnsafeRawBufferPointer(rebasing: buffer[0..<1])
            let nonce = UnsafeRawBufferPointer(rebasing: buffer[1..<(1 + SodiumSize.aeadNonce)])
            let output = UnsafeMutableRawBufferPointer(rebasing: buffer[(1 + SodiumSize.aeadNonce)...])
            subKey.withBytes { key in
                Self.checkPlaintext.withUnsafeBytes { plaintext in
                    AEAD.encrypt(plaintext, additionalData: header, nonce: nonce, key: key, into: output)
                }
            }
        }
        return result
    }

    /// Confirms that this is the master key that made `checkValue`; call it before anything else.
    ///
    /// - Throws: `SealingError` `.wrongKey` if the key is not the one that made the check value (or the
    ///   check value was altered: the two cannot be told apart); `.invalidValue` (`.unknownVersion`) or
    ///   `.integrityError` (`.truncated`) if the stored check value is not in a format this program knows.
    public func verify(checkValue: [UInt8]) throws(SealingError) {
        guard let version = checkValue.first else {
            throw .integrity(.truncated, "the stored check value is empty; the catalog's key metadata is damaged")
        }
        guard version == Self.checkValueVersion else {
            throw .invalid(
                .unknownVersion,
                "the stored check value has version \(version), which this program does not know; use a newer program",
                details: ["version": String(version)])
        }
        guard checkValue.count == Self.checkValueLength else {
            throw .integrity(
                .truncated,
                "the stored check value is \(checkValue.count) bytes, not \(Self.checkValueLength); "
                    + "the catalog's key metadata is damaged")
        }
        let subKey = subKey(for: .checkValue)
        let matches = checkValue.withUnsafeBytes { buffer in
            let header = UnsafeRawBufferPointer(rebasing: buffer[0..<1])
            let nonce = UnsafeRawBufferPointer(rebasing: buffer[1..<(1 + SodiumSize.aeadNonce)])
            let ciphertext = UnsafeRawBufferPointer(rebasing: buffer[(1 + SodiumSize.aeadNonce)...])
            return withUnsafeTemporaryAllocation(byteCount: Self.checkPlaintext.count, alignment: 1) { output in
                defer { wipe(output) }
                let opened = subKey.withBytes { key in
                    AEAD.decrypt(ciphertext, additionalData: header, nonce: nonce, key: key, into: output)
                }
                return opened
                    && Self.checkPlaintext.withUnsafeBytes { constantTimeEqual(UnsafeRawBufferPointer(output), $0) }
            }
        }
        guard matches else {
            throw .wrongKey(
                "the master key does not match this catalog; supply the key (file, CATALOG_MASTER_KEY or "
                    + "passphrase) the catalog was created or last rekeyed with")
        }
    }
}
