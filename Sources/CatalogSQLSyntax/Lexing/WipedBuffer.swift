/// Bytes of SQL text in one heap allocation that is overwritten with zeros before it is freed.
///
/// SQL text may hold secrets (the value of `ACCESS_KEY = '…'`), so the lexer's copy of a statement and every
/// string literal decoded from it live here rather than in an `Array` or a `String`, which are freed without
/// being cleared. The buffer is filled once, when it is made, and only read after that.
///
/// The syntax target imports nothing (the fuzzer compiles it on its own), so it cannot call `sodium_memzero` or
/// `memset_s`. The optimiser may drop stores to memory that is freed right after them, as dead; `zero(_:count:)`
/// keeps them in two ways. It is `@inline(never)`, so `deinit` never sees the stores beside the free. And after
/// the stores it passes the buffer to `keepStores(_:)`, which is `@inline(never)` and `@_optimize(none)`: neither
/// the Swift optimiser nor LLVM looks into an unoptimised function, so both must assume that it reads the
/// buffer, and the zeros have to be in memory before the call. The stores themselves are optimised (a `memset`),
/// which keeps wiping cheap; a store loop inside an unoptimised function, the other common way, costs a
/// generic call per store here.
package final class WipedBuffer: Sendable {
    // Safe because the bytes are written only while `init` runs, then only read, and freed once in `deinit`.
    private nonisolated(unsafe) let base: UnsafeMutablePointer<UInt8>
    /// The number of bytes.
    package let count: Int

    /// An uninitialised buffer of `count` bytes that `fill` must write completely; `fill` gets its start.
    package init(count: Int, fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        self.count = count
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(count, 1))
        fill(base)
    }

    /// A copy of the UTF-8 bytes of `text` (the `String` itself is the caller's and cannot be wiped).
    package convenience init(utf8 text: String) {
        var text = text
        self.init(count: text.utf8.count) { destination in
            text.withUTF8 { source in
                if let start = source.baseAddress { destination.initialize(from: start, count: source.count) }
            }
        }
    }

    deinit {
        Self.zero(base, count: count)
        base.deallocate()
    }

    /// The byte at `offset`, which must be in `0..<count`.
    @inline(__always)
    package subscript(offset: Int) -> UInt8 {
        assert(offset >= 0 && offset < count, "offset out of the buffer")
        return base[offset]
    }

    /// Lends the bytes `start..<end` to `body`; do not let the pointer escape it.
    @inline(__always)
    package func withBytes<R, E: Error>(
        from start: Int, to end: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        assert(start >= 0 && start <= end && end <= count, "range out of the buffer")
        return try body(UnsafeBufferPointer(start: base + start, count: end - start))
    }

    /// Writes zeros over the buffer now, for a test to check what `deinit` leaves behind; the buffer must not
    /// be read for its contents afterwards.
    package func wipeForTesting() {
        Self.zero(base, count: count)
    }

    /// Writes zeros over `count` bytes at `pointer` in a way the optimiser cannot elide (see the type's
    /// documentation for why).
    @inline(never)
    private static func zero(_ pointer: UnsafeMutablePointer<UInt8>, count: Int) {
        pointer.update(repeating: 0, count: count)
        keepStores(pointer)
    }

    /// Does nothing, opaquely: the optimiser must assume that it reads `pointer`, so stores before it stay.
    @inline(never)
    @_optimize(none)
    private static func keepStores(_ pointer: UnsafeMutablePointer<UInt8>) {}
}
