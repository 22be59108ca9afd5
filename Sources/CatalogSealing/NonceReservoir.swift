/// Random nonces drawn from the system's CSPRNG a batch at a time, for sealing many values in a row (key
/// rotation): one `randombytes_buf` call fills the nonces of a batch, where sealing value by value makes one
/// `getrandom` system call each. Every byte is handed out once, so each nonce is as fresh and as random as one
/// drawn alone.
///
/// One reservoir belongs to one thread at a time (it is not copyable); it frees its buffer when it ends.
package struct NonceReservoir: ~Copyable {
    private let buffer: UnsafeMutableRawBufferPointer
    /// Bytes of `buffer` already handed out; a new batch is drawn when it reaches the end.
    private var used: Int

    /// A reservoir drawing `batch` nonces at a time.
    package init(batch: Int = 128) {
        precondition(batch > 0, "a reservoir holds at least one nonce")
        buffer = .allocate(byteCount: batch * SodiumSize.aeadNonce, alignment: 1)
        used = buffer.count
    }

    /// Fills `nonce` (24 bytes) with bytes not handed out before.
    mutating func take(into nonce: UnsafeMutableRawBufferPointer) {
        precondition(nonce.count == SodiumSize.aeadNonce, "a nonce is 24 bytes")
        if used == buffer.count {
            SecureRandom.fill(buffer)
            used = 0
        }
        let next = UnsafeMutableRawBufferPointer(rebasing: buffer[used..<(used + SodiumSize.aeadNonce)])
        nonce.copyMemory(from: UnsafeRawBufferPointer(next))
        used += SodiumSize.aeadNonce
    }

    deinit {
        buffer.deallocate()
    }
}
