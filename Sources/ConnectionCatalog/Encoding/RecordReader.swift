/// Reads the primitives of the record encoding from borrowed bytes, throwing `integrity_error` on any
/// overrun or malformed value.
struct RecordReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }

    mutating func readByte() throws(CatalogError) -> UInt8 {
        guard position < end else { throw RecordReader.corrupt("record ends inside a field") }
        defer { position += 1 }
        return bytes[position]
    }

    /// Unsigned LEB128 of at most 10 bytes that fits 64 bits.
    mutating func readVarint() throws(CatalogError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63, byte > 1 { throw RecordReader.corrupt("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// The next `count` bytes, as a range into `bytes`.
    mutating func readRange(_ count: UInt64) throws(CatalogError) -> Range<Int> {
        guard count <= UInt64(end - position) else { throw RecordReader.corrupt("field runs past the record's end") }
        let start = position
        position += Int(count)
        return start..<position
    }

    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    func string(_ range: Range<Int>) throws(CatalogError) -> String {
        let bytes = slice(range)
        // Nearly every stored text is ASCII, which is valid UTF-8 as it stands: decoding it takes the fast path,
        // where the general validation costs several times as much per field.
        if Self.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RecordReader.corrupt("text field is not valid UTF-8")
        }
        return text
    }

    /// Whether `bytes` are valid UTF-8, checked in place (no string is made): ASCII eight bytes at a time,
    /// anything else scalar by scalar.
    static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if isASCII(bytes) { return true }
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Whether every byte is below 0x80, tested eight bytes at a time.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var seen: UInt64 = 0
        while index + 8 <= bytes.count {
            seen |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            seen |= UInt64(bytes[index])
            index += 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    static func corrupt(_ what: String) -> CatalogError {
        CatalogError(
            .integrityError,
            "connection record is damaged: \(what); restore the catalog from a verified backup",
            details: ["reason": what])
    }
}
