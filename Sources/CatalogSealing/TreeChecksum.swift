internal import Dispatch
internal import Synchronization

/// A keyed BLAKE2b tree checksum (32 bytes) of data fed in pieces, whose leaves are hashed on other threads
/// while the owner goes on feeding.
///
/// One keyed BLAKE2b pass runs at about 0.8 GB/s, so over a large backup it costs more than writing the file.
/// Here the data is cut into leaves of `leafSize` bytes; each leaf's digest is the keyed BLAKE2b-256 of
/// `0x00 | leaf index (8, BE) | leaf bytes`, taken on a worker, and `finalize(binding:)` returns the keyed
/// BLAKE2b-256 of `0x01 | leaf size (8, BE) | total length (8, BE) | leaf count (8, BE) | the leaf digests in
/// order | context length (8, BE) | context`. The index in each leaf and the length and count in the root
/// make a reordered, dropped, repeated or cut leaf change the result; the key makes it unforgeable, as with
/// `StreamingChecksum`. At most `leavesInFlight` leaf buffers exist at once, so memory stays bounded.
///
/// Not thread-safe: one owner feeds it, then calls `finalize(binding:)` once.
package final class TreeChecksum {
    /// The checksum length in bytes.
    package static let byteCount = StreamingChecksum.byteCount
    /// The leaf size backups use.
    package static let defaultLeafSize = 8 << 20

    private let key: ChecksumKey
    private let leafSize: Int
    private let work = DispatchGroup()
    private let freeSlots: DispatchSemaphore
    private let shared = SharedState()
    private var current: LeafBuffer?
    private var filled = 0
    private var leafCount = 0
    private var total: UInt64 = 0
    private var finished = false

    /// Starts a tree checksum under `key`.
    package init(key: ChecksumKey, leafSize: Int = defaultLeafSize, leavesInFlight: Int = 3) {
        precondition(leafSize > 0 && leavesInFlight > 0, "a tree checksum needs leaves")
        self.key = key
        self.leafSize = leafSize
        freeSlots = DispatchSemaphore(value: leavesInFlight)
    }

    deinit {
        // Workers may still hold buffers when the owner gave up half way.
        work.wait()
        if let current {
            current.bytes.deallocate()
            // Its slot goes back too: libdispatch traps on freeing a semaphore below its starting value.
            freeSlots.signal()
        }
        shared.lock.withLock { state in
            for buffer in state.spare { buffer.bytes.deallocate() }
        }
    }

    /// Feeds `bytes` into the checksum.
    package func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "update after finalize")
        var offset = 0
        while offset < bytes.count {
            let buffer = current ?? takeBuffer()
            current = buffer
            let count = min(leafSize - filled, bytes.count - offset)
            (buffer.bytes.baseAddress! + filled).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            filled += count
            offset += count
            total += UInt64(count)
            if filled == leafSize { submitLeaf() }
        }
    }

    /// Feeds `bytes` into the checksum.
    package func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Waits for every leaf and returns the 32-byte root over them and `context` (what else the checksum must
    /// cover, such as a manifest); the checksum cannot be updated afterwards.
    package func finalize(binding context: [UInt8]) -> [UInt8] {
        precondition(!finished, "finalize called twice")
        finished = true
        if filled > 0 { submitLeaf() }
        work.wait()
        let digests = shared.lock.withLock { $0.digests }
        let root = key.makeChecksum()
        var head: [UInt8] = [1]
        head.appendBigEndian(UInt64(leafSize))
        head.appendBigEndian(total)
        head.appendBigEndian(UInt64(leafCount))
        root.update(head)
        root.update(digests)
        var contextLength: [UInt8] = []
        contextLength.appendBigEndian(UInt64(context.count))
        root.update(contextLength)
        root.update(context)
        return root.finalize()
    }

    /// A spare leaf buffer, or a new one; waits while `leavesInFlight` are taken.
    private func takeBuffer() -> LeafBuffer {
        freeSlots.wait()
        if let spare = shared.lock.withLock({ $0.spare.popLast() }) { return spare }
        return LeafBuffer(bytes: UnsafeMutableRawBufferPointer.allocate(byteCount: leafSize, alignment: 64))
    }

    /// Hands the current leaf to a worker.
    private func submitLeaf() {
        guard let buffer = current else { return }
        let index = leafCount
        let count = filled
        leafCount += 1
        current = nil
        filled = 0
        shared.lock.withLock { $0.digests.append(contentsOf: repeatElement(0, count: Self.byteCount)) }
        let key = self.key
        let freeSlots = self.freeSlots
        let shared = self.shared
        work.enter()
        DispatchQueue.global(qos: .userInitiated).async { [work] in
            let leaf = key.makeChecksum()
            var head: [UInt8] = [0]
            head.appendBigEndian(UInt64(index))
            leaf.update(head)
            leaf.update(UnsafeRawBufferPointer(rebasing: buffer.bytes[0..<count]))
            let digest = leaf.finalize()
            shared.lock.withLock { state in
                state.digests.replaceSubrange(index * Self.byteCount..<(index + 1) * Self.byteCount, with: digest)
                state.spare.append(buffer)
            }
            freeSlots.signal()
            work.leave()
        }
    }
}

@available(*, unavailable)
extension TreeChecksum: Sendable {}

/// One leaf's buffer, handed between the owner and a worker: only one of them uses it at a time.
private struct LeafBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
}

/// What the owner and the workers share, behind one lock: spare leaf buffers and the digests made so far.
private final class SharedState: Sendable {
    struct State {
        var spare: [LeafBuffer] = []
        var digests: [UInt8] = []
    }
    let lock = Mutex(State())
}
