internal import CSodium

/// Secret bytes (keys, plaintext secrets) kept in libsodium guarded memory.
///
/// The bytes live in a `sodium_malloc` allocation: surrounded by guard pages, locked out of swap where
/// the system allows it, made read-only once filled (`sodium_mprotect_readonly`) and wiped and released
/// by `sodium_free` when the last reference goes away. Read them only inside `withBytes`, and do not
/// let the pointer escape the closure.
///
/// `SecretBytes` never prints its contents (`description` is `<redacted N bytes>`), is not `Codable`,
/// and has no `==`: compare with `isEqual(to:)`, which runs in constant time.
///
/// Each instance costs a few pages and system calls; hot paths that only need to look at an opened
/// value briefly should use `Sealer.withOpened(_:for:_:)` instead.
public final class SecretBytes: @unchecked Sendable {
    // Safe because: the allocation is written only inside `init`, then made read-only by
    // `sodium_mprotect_readonly`; afterwards it is only read, and freed once in `deinit`.
    private let pointer: UnsafeMutableRawPointer
    /// The number of secret bytes.
    public let count: Int

    /// Allocates `count` guarded bytes and lets `body` fill them.
    ///
    /// If `body` throws, the allocation is wiped and freed and the error is rethrown. Traps when the
    /// system cannot provide guarded memory (out of memory), as any allocation would.
    public init<E: Error>(
        count: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        precondition(count >= 0, "SecretBytes count must not be negative")
        Sodium.ensureInitialized()
        // sodium_malloc(0) is legal, but one byte keeps the guard-page layout uniform.
        guard let pointer = sodium_malloc(Swift.max(count, 1)) else {
            fatalError("sodium_malloc could not allocate \(count) guarded bytes")
        }
        // sodium_malloc fills with 0xdb; start from zeros so a short fill never exposes junk.
        sodium_memzero(pointer, Swift.max(count, 1))
        do {
            try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
        } catch {
            sodium_free(pointer)
            throw error
        }
        sodium_mprotect_readonly(pointer)
        self.pointer = pointer
        self.count = count
    }

    /// Copies `bytes` into guarded memory; the caller remains responsible for wiping its own copy.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count) { (destination: UnsafeMutableRawBufferPointer) in
            destination.copyMemory(from: bytes)
        }
    }

    /// Copies `bytes` into guarded memory; the caller remains responsible for wiping its own copy.
    public convenience init(copying bytes: [UInt8]) {
        let copy: SecretBytes = bytes.withUnsafeBytes { SecretBytes(copying: $0) }
        self.init(count: copy.count) { (destination: UnsafeMutableRawBufferPointer) in
            copy.withBytes { destination.copyMemory(from: $0) }
        }
    }

    /// Copies the UTF-8 bytes of `string` into guarded memory (for passphrases and secret property values).
    ///
    /// Swift strings cannot be wiped; keep the `String` short-lived.
    public convenience init(utf8 string: String) {
        var string = string
        let count = string.utf8.count
        self.init(count: count) { (destination: UnsafeMutableRawBufferPointer) in
            string.withUTF8 { destination.copyMemory(from: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Fresh random bytes from libsodium's CSPRNG, generated directly into guarded memory.
    public static func random(count: Int) -> SecretBytes {
        SecretBytes(count: count) { (destination: UnsafeMutableRawBufferPointer) in
            SecureRandom.fill(destination)
        }
    }

    deinit {
        // sodium_free makes the region writable again, wipes it and releases the guard pages.
        sodium_free(pointer)
    }

    /// Lends the secret bytes to `body`; the pointer is valid only inside the closure and is read-only.
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Compares two secrets in constant time (for equal lengths). Wraps `sodium_memcmp`.
    ///
    /// Different lengths compare unequal at once; the length of a secret is not itself secret here.
    public func isEqual(to other: SecretBytes) -> Bool {
        withBytes { mine in other.withBytes { theirs in constantTimeEqual(mine, theirs) } }
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "<redacted \(count) bytes>" }
    public var debugDescription: String { description }
    /// No children: `dump` and debuggers see only the redacted description.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
