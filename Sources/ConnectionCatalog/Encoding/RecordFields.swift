/// The one reader of the connection record format: it checks the frame, then hands out the body's fields one
/// at a time, each held to the rules of `docs/format.md` ("What decoding rejects") before it is returned.
///
/// Every way of reading a record (the full decode, the summary of a listing, the lookup of one secret) is a
/// projection of this walk, so each refuses exactly the same inputs. It allocates nothing: text is checked in
/// place, duplicate fields are tracked in a bit set, and duplicate property keys by their byte order (the writer
/// sorts them, so a key that does not follow its predecessor is rare and is checked against the earlier ones).
struct RecordFields {
    let bytes: UnsafeRawBufferPointer
    private var reader: RecordReader
    private let body: Range<Int>
    /// The known tags seen so far, one bit each (tags are 1…12).
    private var seen: UInt64 = 0
    private var propertyKeys = KeyOrder()
    private var sealedKeys = KeyOrder()

    /// The keys of one kind of entry so far: the last one, and whether all came in increasing byte order.
    private struct KeyOrder {
        var last: Range<Int>?
        var sorted = true
    }

    /// The tags that must appear exactly once, and their bits.
    private static let required: [RecordTag] = RecordTag.allCases.filter {
        ![.property, .sealedField, .comment].contains($0)
    }
    private static let requiredBits: UInt64 = required.reduce(0) { $0 | 1 << $1.rawValue }

    /// Each connection type with its stored spelling, to match a record's type without making a string.
    private static let typeSpellings = ConnectionType.allCases.map { (type: $0, bytes: Array($0.rawValue.utf8)) }

    /// Starts a walk over the record in `bytes` (which may point straight into the LMDB map).
    ///
    /// - Throws: `CatalogError` `.catalogTooNew` for a newer encoding version; `.integrityError` for an empty,
    ///   truncated or overlong record, version 0, or a checksum mismatch.
    init(_ bytes: UnsafeRawBufferPointer) throws(CatalogError) {
        self.bytes = bytes
        body = try Self.checkedBody(of: bytes)
        reader = RecordReader(bytes, from: body.lowerBound, to: body.upperBound)
    }

    /// The next field, or `nil` after the last one once every required field was seen.
    ///
    /// - Throws: `CatalogError` `.integrityError` for a malformed, duplicated or missing field;
    ///   `.catalogTooNew` for a type this program does not know.
    mutating func next() throws(CatalogError) -> RecordField? {
        guard !reader.isAtEnd else {
            try checkRequiredFieldsWereSeen()
            return nil
        }
        let rawTag = try reader.readVarint()
        let range = try reader.readRange(try reader.readVarint())
        guard let tag = RecordTag(rawValue: rawTag) else {
            guard rawTag != 0 else { throw RecordReader.corrupt("field tag 0") }
            return .unknown(tag: rawTag, range)
        }
        if tag != .property, tag != .sealedField {
            let bit: UInt64 = 1 << tag.rawValue
            guard seen & bit == 0 else { throw RecordReader.corrupt("field \(tag) appears twice") }
            seen |= bit
        }
        switch tag {
        case .id:
            guard range.count == ConnectionID.byteCount else { throw RecordReader.corrupt("id is not 16 bytes") }
            return .id(range)
        case .workspace:
            try checkStoredIdentifier(range)
            return .workspace(range)
        case .name:
            try checkStoredIdentifier(range)
            return .name(range)
        case .type:
            return .type(try type(range))
        case .property:
            let (key, value) = try entry(range, tag: .property, after: &propertyKeys)
            try checkText(value)
            return .property(key: key, value: value)
        case .sealedField:
            let (key, value) = try entry(range, tag: .sealedField, after: &sealedKeys)
            return .sealedField(key: key, value: value)
        case .comment:
            try checkText(range)
            return .comment(range)
        case .enabled:
            guard range.count == 1, bytes[range.lowerBound] <= 1 else {
                throw RecordReader.corrupt("enabled flag is not one byte 0 or 1")
            }
            return .enabled(bytes[range.lowerBound] == 1)
        case .creator:
            try checkText(range)
            return .creator(range)
        case .createdAt:
            return .createdAt(RecordReader.unzigzag(try varint(range)))
        case .modifiedAt:
            return .modifiedAt(RecordReader.unzigzag(try varint(range)))
        case .version:
            return .version(try varint(range))
        }
    }

    /// The bytes of `range`, borrowed from the record.
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer { reader.slice(range) }

    /// The text of `range`, which the walk has checked to be UTF-8.
    func string(_ range: Range<Int>) -> String { String(decoding: slice(range), as: UTF8.self) }

    // MARK: - The rules

    private func checkRequiredFieldsWereSeen() throws(CatalogError) {
        guard seen & Self.requiredBits != Self.requiredBits else { return }
        let missing = Self.required.filter { seen & (1 << $0.rawValue) == 0 }
        throw RecordReader.corrupt("required field \(missing.map { "\($0)" }.joined(separator: ", ")) is missing")
    }

    private func checkText(_ range: Range<Int>) throws(CatalogError) {
        guard RecordReader.isUTF8(slice(range)) else { throw RecordReader.corrupt("text field is not valid UTF-8") }
    }

    /// A stored workspace or connection name: the identifier rules in their quoted form, checked on the bytes.
    private func checkStoredIdentifier(_ range: Range<Int>) throws(CatalogError) {
        guard Identifier.isStoredForm(slice(range)) else {
            throw CatalogError(
                .integrityError, "connection record is damaged: stored name is invalid; restore from a verified backup",
                details: ["reason": "invalid stored name"])
        }
    }

    private func type(_ range: Range<Int>) throws(CatalogError) -> ConnectionType {
        try Self.storedType(slice(range))
    }

    /// The type whose stored spelling is `stored` (a record's type field, or a name index entry's).
    ///
    /// - Throws: `.integrityError` for bytes that are not UTF-8; `.catalogTooNew` for a type this program does not
    ///   know.
    static func storedType(_ stored: UnsafeRawBufferPointer) throws(CatalogError) -> ConnectionType {
        if let known = typeSpellings.first(where: { $0.bytes.elementsEqual(stored) }) { return known.type }
        guard RecordReader.isUTF8(stored) else { throw RecordReader.corrupt("text field is not valid UTF-8") }
        // A string is made only for the message of a type from a newer program.
        let text = String(decoding: stored, as: UTF8.self)
        throw CatalogError(
            .catalogTooNew,
            "connection record has type '\(text)', which this program does not know; upgrade the program",
            details: ["found": text])
    }

    /// A `key length | key | value` payload: the ranges of its key (non-empty ASCII, not seen before under
    /// `tag`) and of its value.
    private func entry(
        _ range: Range<Int>, tag: RecordTag, after order: inout KeyOrder
    ) throws(CatalogError) -> (key: Range<Int>, value: Range<Int>) {
        var inner = RecordReader(bytes, from: range.lowerBound, to: range.upperBound)
        let key = try inner.readRange(try inner.readVarint())
        let keyBytes = slice(key)
        guard !keyBytes.isEmpty else { throw RecordReader.corrupt("empty property key") }
        guard RecordReader.isASCII(keyBytes) else { throw RecordReader.corrupt("property key is not ASCII") }
        // While the keys come sorted (as written), a key after its predecessor repeats none; else look back.
        if let last = order.last, order.sorted, !slice(last).lexicographicallyPrecedes(keyBytes) {
            order.sorted = false
        }
        if !order.sorted, try earlierEntry(under: tag, before: range.lowerBound, hasKey: keyBytes) {
            let name = string(key)
            throw RecordReader.corrupt(
                tag == .property ? "property \(name) appears twice" : "sealed \(name) appears twice")
        }
        order.last = key
        return (key, inner.position..<range.upperBound)
    }

    /// Whether an entry under `tag` before offset `end` of the body has the key `wanted`.
    private func earlierEntry(
        under tag: RecordTag, before end: Int, hasKey wanted: UnsafeRawBufferPointer
    ) throws(CatalogError) -> Bool {
        var earlier = RecordReader(bytes, from: body.lowerBound, to: body.upperBound)
        while earlier.position < end {
            let rawTag = try earlier.readVarint()
            let range = try earlier.readRange(try earlier.readVarint())
            guard rawTag == tag.rawValue, range.upperBound <= end else { continue }
            var inner = RecordReader(bytes, from: range.lowerBound, to: range.upperBound)
            if slice(try inner.readRange(try inner.readVarint())).elementsEqual(wanted) { return true }
        }
        return false
    }

    /// A payload that is exactly one varint.
    private func varint(_ range: Range<Int>) throws(CatalogError) -> UInt64 {
        var inner = RecordReader(bytes, from: range.lowerBound, to: range.upperBound)
        let value = try inner.readVarint()
        guard inner.isAtEnd else { throw RecordReader.corrupt("number field has trailing bytes") }
        return value
    }

    // MARK: - The frame

    /// Checks a record's frame (encoding version, body length, checksum) and returns the range of its body.
    private static func checkedBody(of bytes: UnsafeRawBufferPointer) throws(CatalogError) -> Range<Int> {
        guard let version = bytes.first else { throw RecordReader.corrupt("record is empty") }
        guard version != 0 else { throw RecordReader.corrupt("encoding version 0 does not exist") }
        guard version <= ConnectionRecord.encodingVersion else {
            throw CatalogError(
                .catalogTooNew,
                "connection record has encoding version \(version), but this program reads only up to"
                    + " \(ConnectionRecord.encodingVersion); upgrade the program",
                details: ["found": String(version), "supported": String(ConnectionRecord.encodingVersion)])
        }
        guard bytes.count >= ConnectionRecord.overhead else { throw RecordReader.corrupt("record is truncated") }
        let bodyLength = Int(readUInt32LE(bytes, at: 1))
        guard bytes.count - ConnectionRecord.overhead == bodyLength else {
            throw RecordReader.corrupt(
                bytes.count - ConnectionRecord.overhead < bodyLength
                    ? "record is truncated" : "record has trailing bytes")
        }
        let checksumOffset = 5 + bodyLength
        guard
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<checksumOffset]))
                == readUInt32LE(bytes, at: checksumOffset)
        else { throw RecordReader.corrupt("checksum mismatch") }
        return 5..<checksumOffset
    }

    /// The little-endian 32-bit number at `offset` (a record's length and checksum, a name index entry's checksum).
    static func readUInt32LE(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
    }
}
