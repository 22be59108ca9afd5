/// Appends the primitives of the record encoding to a byte array.
struct RecordWriter {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Unsigned LEB128: seven bits per byte, least significant first, high bit set on all but the last.
    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func appendUInt32LE(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Overwrites four bytes at `offset` with `value`, little-endian.
    mutating func patchUInt32LE(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(8 * index)) }
    }

    /// A field: tag, payload length, payload.
    mutating func appendField(_ tag: RecordTag, _ payload: some Collection<UInt8>) {
        appendField(tag.rawValue, payload)
    }

    mutating func appendField(_ tag: UInt64, _ payload: some Collection<UInt8>) {
        appendVarint(tag)
        appendVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func appendField(_ tag: RecordTag, _ text: String) {
        var text = text
        text.withUTF8 { appendField(tag, $0) }
    }

    /// A field whose payload is one varint.
    mutating func appendVarintField(_ tag: RecordTag, _ value: UInt64) {
        appendVarint(tag.rawValue)
        appendVarint(UInt64(RecordWriter.varintSize(value)))
        appendVarint(value)
    }

    /// A field whose payload is a key (length-prefixed) followed by a value.
    mutating func appendEntryField(_ tag: RecordTag, key: String, value: some Collection<UInt8>) {
        let keyCount = key.utf8.count
        appendVarint(tag.rawValue)
        appendVarint(UInt64(RecordWriter.varintSize(UInt64(keyCount)) + keyCount + value.count))
        appendVarint(UInt64(keyCount))
        bytes.append(contentsOf: key.utf8)
        bytes.append(contentsOf: value)
    }

    static func varintSize(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    /// ZigZag: small negative and positive numbers both get short varints.
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
