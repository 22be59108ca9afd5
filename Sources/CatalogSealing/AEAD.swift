internal import CSodium

/// XChaCha20-Poly1305 (IETF) over raw buffers: the only AEAD this target uses.
///
/// Wraps `crypto_aead_xchacha20poly1305_ietf_encrypt` and `_decrypt`. Callers check every length
/// before calling; these functions trap on a programmer error and report only authentication failure.
enum AEAD {
    /// Encrypts `plaintext` into `output` (`plaintext.count + 16` bytes).
    static func encrypt(
        _ plaintext: UnsafeRawBufferPointer, additionalData: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count == plaintext.count + SodiumSize.aeadTag)
        precondition(nonce.count == SodiumSize.aeadNonce && key.count == SodiumSize.aeadKey)
        var outputLength: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_encrypt(
            output.baseAddress!.assumingMemoryBound(to: UInt8.self), &outputLength,
            plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
            additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count),
            nil, nonce.baseAddress!.assumingMemoryBound(to: UInt8.self),
            key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        precondition(
            status == 0 && outputLength == UInt64(output.count), "crypto_aead_xchacha20poly1305_ietf_encrypt failed")
    }

    /// Decrypts and authenticates `ciphertext` (with its tag) into `output` (`ciphertext.count - 16` bytes).
    ///
    /// Returns `false` when authentication fails; `output` is then wiped.
    static func decrypt(
        _ ciphertext: UnsafeRawBufferPointer, additionalData: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(ciphertext.count >= SodiumSize.aeadTag && output.count == ciphertext.count - SodiumSize.aeadTag)
        precondition(nonce.count == SodiumSize.aeadNonce && key.count == SodiumSize.aeadKey)
        var outputLength: UInt64 = 0
        // libsodium rejects a NULL output pointer only when there is output; give it a byte anyway.
        var spare: UInt8 = 0
        let status = withUnsafeMutablePointer(to: &spare) { sparePointer in
            crypto_aead_xchacha20poly1305_ietf_decrypt(
                output.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? sparePointer, &outputLength, nil,
                ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
                additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count),
                nonce.baseAddress!.assumingMemoryBound(to: UInt8.self),
                key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard status == 0 else {
            wipe(output)
            return false
        }
        precondition(outputLength == UInt64(output.count))
        return true
    }
}
