internal import CSodium

/// Random numbers from libsodium's CSPRNG (`randombytes_*`), suitable for keys, nonces and external IDs.
public enum SecureRandom: Sendable {
    /// Returns `count` random bytes. Wraps `randombytes_buf`.
    ///
    /// The result is an ordinary array; use `SecretBytes.random(count:)` for key material.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "count must not be negative")
        var result = [UInt8](repeating: 0, count: count)
        result.withUnsafeMutableBytes { fill($0) }
        return result
    }

    /// Fills `buffer` with random bytes. Wraps `randombytes_buf`.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.ensureInitialized()
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }

    /// Returns a uniformly random `UInt32`. Wraps `randombytes_random`.
    public static func uint32() -> UInt32 {
        Sodium.ensureInitialized()
        return randombytes_random()
    }

    /// Returns a uniformly random number in `0..<upperBound`, without modulo bias.
    /// Wraps `randombytes_uniform`.
    public static func uniform(below upperBound: UInt32) -> UInt32 {
        precondition(upperBound > 0, "upperBound must be positive")
        Sodium.ensureInitialized()
        return randombytes_uniform(upperBound)
    }

    private static let alphanumerics: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Returns `count` characters drawn uniformly from `[A-Za-z0-9]` (62 symbols).
    ///
    /// Used for the 16-character external IDs of connections (about 95 bits of entropy).
    public static func alphanumeric(count: Int) -> String {
        precondition(count >= 0, "count must not be negative")
        let symbols = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fillAlphanumeric(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
        return String(decoding: symbols, as: UTF8.self)
    }

    /// Fills `buffer` with characters drawn uniformly from `[A-Za-z0-9]`, as `alphanumeric(count:)` returns
    /// them, for a generated secret kept in memory that is wiped (no string copy left behind).
    ///
    /// The random bytes come from one `randombytes_buf` call per 64 (not one `randombytes_uniform` a character:
    /// with the system source each call is a `getrandom` system call, and an external ID made 16 of them). A byte
    /// below 248 (4 × 62) picks the symbol `byte % 62`, so every symbol is equally likely; a byte of 248 or more is
    /// skipped. The random bytes are wiped afterwards, since they spell the characters.
    static func fillAlphanumeric(_ buffer: UnsafeMutableRawBufferPointer) {
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) { scratch in
            fillAlphanumeric(buffer, scratch: scratch) { scratch, _ in
                fill(scratch)
                return scratch.count
            }
        }
    }

    /// `fillAlphanumeric(_:)` with its random bytes taken from `reservoir`: as many as there are characters left
    /// to pick each time, so only skipped bytes cost more.
    static func fillAlphanumeric(_ buffer: UnsafeMutableRawBufferPointer, from reservoir: RandomReservoir) {
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) { scratch in
            fillAlphanumeric(buffer, scratch: scratch) { scratch, left in
                let count = Swift.min(left, scratch.count)
                reservoir.take(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<count]))
                return count
            }
        }
    }

    /// Picks the characters of `buffer` from random bytes that `draw` writes into the start of `scratch`, given the
    /// characters still to pick, and returns how many it wrote; wipes `scratch` afterwards.
    private static func fillAlphanumeric(
        _ buffer: UnsafeMutableRawBufferPointer, scratch: UnsafeMutableRawBufferPointer,
        draw: (UnsafeMutableRawBufferPointer, Int) -> Int
    ) {
        let symbolCount = alphanumerics.count
        let acceptedBelow = 256 - 256 % symbolCount
        var next = 0
        var drawn = 0
        for index in buffer.indices {
            while true {
                if next == drawn {
                    drawn = draw(scratch, buffer.count - index)
                    next = 0
                }
                let byte = Int(scratch[next])
                next += 1
                if byte < acceptedBelow {
                    buffer[index] = alphanumerics[byte % symbolCount]
                    break
                }
            }
        }
        wipe(scratch)
    }
}
