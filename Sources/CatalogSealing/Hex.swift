internal import CSodium

/// Lower-case hexadecimal text for checksums and fingerprints.
///
/// Encoding and decoding run in constant time (`sodium_bin2hex`, `sodium_hex2bin`).
public enum Hex: Sendable {
    /// Encodes `bytes` as lower-case hex. Wraps `sodium_bin2hex`.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    /// Encodes `bytes` as lower-case hex. Wraps `sodium_bin2hex`.
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        Sodium.ensureInitialized()
        guard bytes.count > 0, let source = bytes.baseAddress else { return "" }
        let capacity = bytes.count * 2 + 1
        return String(unsafeUninitializedCapacity: capacity) { text in
            text.withMemoryRebound(to: CChar.self) { chars in
                _ = sodium_bin2hex(
                    chars.baseAddress!, capacity, source.assumingMemoryBound(to: UInt8.self), bytes.count)
            }
            return capacity - 1
        }
    }

    /// Decodes hex text (either case, no separators).
    ///
    /// - Throws: `SealingError` `.invalidValue` (`.invalidEncoding`) if `text` is not an even number of
    ///   hex digits.
    public static func decode(_ text: String) throws(SealingError) -> [UInt8] {
        Sodium.ensureInitialized()
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else {
            throw .invalid(.invalidEncoding, "hex text must have an even number of digits")
        }
        guard !utf8.isEmpty else { return [] }
        var result = [UInt8](repeating: 0, count: utf8.count / 2)
        var decodedLength = 0
        let status = result.withUnsafeMutableBufferPointer { out in
            utf8.withUnsafeBufferPointer { input in
                input.withMemoryRebound(to: CChar.self) { chars in
                    sodium_hex2bin(
                        out.baseAddress!, out.count, chars.baseAddress, chars.count, nil, &decodedLength, nil)
                }
            }
        }
        guard status == 0, decodedLength == result.count else {
            throw .invalid(.invalidEncoding, "text is not hexadecimal; use digits 0-9 and a-f only")
        }
        return result
    }
}

/// Standard base64 (RFC 4648 alphabet, with padding) over libsodium's constant-time codec.
enum Base64 {
    /// Encodes `bytes` as base64 text bytes (no newline), for writing key files. Wraps `sodium_bin2base64`.
    ///
    /// The caller wipes the returned array when it held a key.
    static func encode(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        Sodium.ensureInitialized()
        let variant = Int32(sodium_base64_VARIANT_ORIGINAL)
        let capacity = sodium_base64_encoded_len(bytes.count, variant)
        var text = [UInt8](repeating: 0, count: capacity)
        text.withUnsafeMutableBufferPointer { out in
            out.withMemoryRebound(to: CChar.self) { chars in
                _ = sodium_bin2base64(
                    chars.baseAddress!, capacity, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    bytes.count, variant)
            }
        }
        text.removeLast()  // the terminating NUL
        return text
    }

    /// Decodes base64 `text` (surrounding ASCII whitespace ignored) into exactly `count` guarded bytes.
    ///
    /// - Throws: `.invalidEncoding` if the text is not base64, `.invalidKeyLength` if it decodes to
    ///   another length. `source` names where the text came from, for the message.
    static func decodeSecret(
        _ text: UnsafeRawBufferPointer, count: Int, source: String
    ) throws(SealingError) -> SecretBytes {
        Sodium.ensureInitialized()
        var start = 0
        var end = text.count
        while start < end, isWhitespace(text[start]) { start += 1 }
        while end > start, isWhitespace(text[end - 1]) { end -= 1 }
        let trimmed = UnsafeRawBufferPointer(rebasing: text[start..<end])
        // Decode into a temporary buffer large enough for any input, so a wrong length is reported as
        // such rather than as bad base64; the buffer is wiped before it is released.
        let capacity = trimmed.count / 4 * 3 + 3
        return try withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) {
            (scratch: UnsafeMutableRawBufferPointer) throws(SealingError) -> SecretBytes in
            defer { wipe(scratch) }
            var decodedLength = 0
            var terminator: UnsafePointer<CChar>? = nil
            let status = sodium_base642bin(
                scratch.baseAddress!.assumingMemoryBound(to: UInt8.self), capacity,
                trimmed.baseAddress?.assumingMemoryBound(to: CChar.self), trimmed.count,
                nil, &decodedLength, &terminator, Int32(sodium_base64_VARIANT_ORIGINAL))
            let consumedAll =
                terminator.map { UnsafeRawPointer($0) == trimmed.baseAddress.map { $0 + trimmed.count } } ?? false
            guard status == 0, consumedAll || trimmed.count == 0 else {
                throw .invalid(
                    .invalidEncoding,
                    "\(source) is not valid base64; it must hold the standard base64 of a \(count)-byte key",
                    details: ["source": source])
            }
            guard decodedLength == count else {
                throw .invalid(
                    .invalidKeyLength,
                    "\(source) decodes to \(decodedLength) bytes; a key must be exactly \(count) bytes "
                        + "(for example: head -c \(count) /dev/urandom | base64)",
                    details: ["source": source, "length": String(decodedLength)])
            }
            return SecretBytes(copying: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
