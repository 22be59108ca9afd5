/// Random bytes from the system's CSPRNG drawn a block at a time, for work that needs many small random values in
/// a row: the ids, external IDs and nonces of a write's creates, the nonces of a key rotation. Taken one by one,
/// each value costs a `getrandom` system call; here one `randombytes_buf` call serves many. Every byte is handed
/// out once, so each value is as fresh and as random as one drawn alone.
///
/// Bytes handed out are zeroed in the reservoir at once (an external ID is spelled from them), and what is left is
/// wiped when the reservoir ends. The first draw is small, so a write that makes one value does not pay for a
/// block; later draws double up to `blockSize`. Not `Sendable`: one reservoir belongs to one thread's work.
package final class RandomReservoir {
    /// Allocated at the first draw, so that a write that makes no value allocates nothing.
    private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private let blockSize: Int
    /// The bytes of `buffer` drawn and not yet handed out: `position..<end`.
    private var position = 0
    private var end = 0
    /// Bytes the next draw fills.
    private var drawSize: Int

    /// A reservoir drawing at most `blockSize` bytes at a time (at least 24, one nonce).
    package init(blockSize: Int = 4096) {
        self.blockSize = Swift.max(blockSize, SodiumSize.aeadNonce)
        drawSize = Swift.min(self.blockSize, 256)
    }

    /// Fills `destination` with bytes not handed out before.
    package func take(into destination: UnsafeMutableRawBufferPointer) {
        var filled = 0
        while filled < destination.count {
            if position == end { draw() }
            let count = Swift.min(end - position, destination.count - filled)
            let source = UnsafeMutableRawBufferPointer(rebasing: buffer[position..<(position + count)])
            UnsafeMutableRawBufferPointer(rebasing: destination[filled..<(filled + count)])
                .copyMemory(from: UnsafeRawBufferPointer(source))
            wipe(source)
            position += count
            filled += count
        }
    }

    private func draw() {
        if buffer.baseAddress == nil { buffer = .allocate(byteCount: blockSize, alignment: 16) }
        SecureRandom.fill(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<drawSize]))
        position = 0
        end = drawSize
        drawSize = Swift.min(blockSize, drawSize * 2)
    }

    deinit {
        // Bytes handed out are zero already; the rest of the last draw is wiped.
        wipe(UnsafeMutableRawBufferPointer(rebasing: buffer[position..<end]))
        buffer.deallocate()
    }
}

/// Random numbers from the reservoir, for APIs that take a `RandomNumberGenerator` (a connection id's random bits).
extension RandomReservoir: RandomNumberGenerator {
    package func next() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { take(into: $0) }
        return value
    }
}
