/// Writes the primitives of the record encoding into memory the caller sized, or only counts them.
///
/// A record is encoded twice over one description of its layout: first by a counting writer, which gives its
/// exact size, then into an array allocated once at that size. Nothing grows, and nothing checks capacity a byte
/// at a time.
struct RecordWriter {
    /// Where the next byte goes; `nil` for a writer that only counts.
    private let base: UnsafeMutableRawPointer?
    /// Bytes written (or counted) so far.
    private(set) var count = 0

    /// A writer that counts bytes without writing them.
    static var counting: RecordWriter { RecordWriter(base: nil) }

    /// A writer into `base`, which must hold every byte that a counting pass over the same fields found.
    init(into base: UnsafeMutableRawPointer) {
        self.init(base: base)
    }

    private init(base: UnsafeMutableRawPointer?) {
        self.base = base
    }

    mutating func appendByte(_ byte: UInt8) {
        base?.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if let base, let source = bytes.baseAddress { (base + count).copyMemory(from: source, byteCount: bytes.count) }
        count += bytes.count
    }

    /// Unsigned LEB128: seven bits per byte, least significant first, high bit set on all but the last.
    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            appendByte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        appendByte(UInt8(value))
    }

    mutating func appendUInt32LE(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { append($0) }
    }

    /// A field: tag, payload length, payload.
    mutating func appendField(_ tag: RecordTag, _ payload: UnsafeRawBufferPointer) {
        appendField(tag.rawValue, payload)
    }

    mutating func appendField(_ tag: UInt64, _ payload: UnsafeRawBufferPointer) {
        appendVarint(tag)
        appendVarint(UInt64(payload.count))
        append(payload)
    }

    mutating func appendField(_ tag: RecordTag, _ text: String) {
        var text = text
        text.withUTF8 { appendField(tag, UnsafeRawBufferPointer($0)) }
    }

    /// A field whose payload is one byte.
    mutating func appendByteField(_ tag: RecordTag, _ byte: UInt8) {
        appendVarint(tag.rawValue)
        appendByte(1)
        appendByte(byte)
    }

    /// A field whose payload is two big-endian words, such as a connection id.
    mutating func appendField(_ tag: RecordTag, high: UInt64, low: UInt64) {
        appendVarint(tag.rawValue)
        appendByte(16)
        withUnsafeBytes(of: high.bigEndian) { append($0) }
        withUnsafeBytes(of: low.bigEndian) { append($0) }
    }

    /// A field whose payload is one varint.
    mutating func appendVarintField(_ tag: RecordTag, _ value: UInt64) {
        appendVarint(tag.rawValue)
        appendVarint(UInt64(RecordWriter.varintSize(value)))
        appendVarint(value)
    }

    /// A field whose payload is a key (length-prefixed) followed by a value.
    mutating func appendEntryField(_ tag: RecordTag, key: String, value: UnsafeRawBufferPointer) {
        var key = key
        key.withUTF8 { key in
            appendVarint(tag.rawValue)
            appendVarint(UInt64(RecordWriter.varintSize(UInt64(key.count)) + key.count + value.count))
            appendVarint(UInt64(key.count))
            append(UnsafeRawBufferPointer(key))
            append(value)
        }
    }

    static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// ZigZag: small negative and positive numbers both get short varints.
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
