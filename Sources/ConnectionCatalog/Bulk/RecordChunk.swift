/// A chunk of entries copied out of a snapshot into one buffer, keys and values side by side, so that a chunk costs
/// a handful of allocations whatever its size (key rotation re-seals the values in place and puts them back).
struct RecordChunk {
    private(set) var bytes: [UInt8] = []
    private(set) var keys: [Range<Int>] = []
    private(set) var values: [Range<Int>] = []

    /// A chunk with room for `count` entries of about `entryBytes` each.
    init(capacity count: Int, entryBytes: Int) {
        bytes.reserveCapacity(count * entryBytes)
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    var count: Int { keys.count }

    /// Copies one entry in.
    mutating func append(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        keys.append(bytes.count..<(bytes.count + key.count))
        bytes.append(contentsOf: key)
        values.append(bytes.count..<(bytes.count + value.count))
        bytes.append(contentsOf: value)
    }

    /// The key of the last entry, as a new array (the next chunk starts after it).
    var lastKey: [UInt8]? { keys.last.map { Array(bytes[$0]) } }

    /// Lends `body` the buffer, for changing values in place (not their lengths).
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeMutableBytes(body)
    }

    /// Lends `body` each entry in order, borrowed from the buffer.
    func forEachEntry(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows
    {
        try bytes.withUnsafeBytes { buffer in
            for (key, value) in zip(keys, values) {
                try body(UnsafeRawBufferPointer(rebasing: buffer[key]), UnsafeRawBufferPointer(rebasing: buffer[value]))
            }
        }
    }
}
