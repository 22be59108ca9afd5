/// A secret's bytes in an ordinary heap allocation that is wiped (`sodium_memzero`) before it is freed.
///
/// For values that live only for a moment on the way to being sealed (a secret property of a CREATE or an
/// ALTER): `SecretBytes` adds guard pages and read-only protection, which cost a few system calls each, so
/// it stays for keys. Never prints its contents; read them only inside `withBytes`.
package final class WipedBytes: Sendable, CustomStringConvertible {
    // Safe to share: written only in `init`, then only read, and freed once in `deinit`.
    private nonisolated(unsafe) let pointer: UnsafeMutableRawPointer
    /// The number of bytes.
    package let count: Int

    /// Copies the UTF-8 bytes of `string` (Swift strings cannot be wiped: keep the `String` short-lived).
    package init(utf8 string: String) {
        var string = string
        count = string.utf8.count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 1)
        string.withUTF8 { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
    }

    /// Copies `bytes` (for a value that arrives as bytes, such as a SQL literal already in wiped storage).
    package init(copying bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 1)
        if let base = bytes.baseAddress { pointer.copyMemory(from: base, byteCount: count) }
    }

    deinit {
        wipe(UnsafeMutableRawBufferPointer(start: pointer, count: count))
        pointer.deallocate()
    }

    /// Lends the bytes to `body`; do not let them escape it.
    package func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    package var description: String { "<redacted \(count) bytes>" }
}
