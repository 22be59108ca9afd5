/// The tags of a connection record's fields; `docs/format.md` lists each with its payload.
///
/// Tags are never reused or renumbered: a record written by any version must decode the same way. A newer
/// program adds fields under new tags; an older one keeps them as `UnknownRecordField`s and writes them back.
enum RecordTag: UInt64, CaseIterable {
    case id = 1
    case workspace = 2
    case name = 3
    case type = 4
    case property = 5
    case sealedField = 6
    case comment = 7
    case enabled = 8
    case creator = 9
    case createdAt = 10
    case modifiedAt = 11
    case version = 12
}

/// The binary encoding of a `Connection` as stored in the `connections` and `history` databases.
///
/// Layout: encoding version (1 byte) | body length (UInt32, little-endian) | body | CRC-32C of everything
/// before it (UInt32, little-endian). The body is a sequence of fields, each `tag (varint) | length (varint) |
/// payload`. Known fields are written in tag order, map entries sorted by key, so equal connections encode to
/// equal bytes; unknown fields follow in the order they were read. No Foundation, no JSON: a record of a few
/// hundred bytes encodes or decodes in a few microseconds. See `docs/format.md` for every byte.
public enum ConnectionRecord {
    /// The encoding version this program writes; a record with a higher one is refused as too new.
    public static let encodingVersion: UInt8 = 1

    /// Each connection type with its stored spelling, to match a record's type without making a string.
    private static let typeSpellings = ConnectionType.allCases.map { (type: $0, bytes: Array($0.rawValue.utf8)) }

    /// Bytes outside the body: version, body length and checksum.
    static let overhead = 9

    /// Encodes `connection`, sealed fields as their envelope bytes and unknown fields as they were read.
    ///
    /// - Precondition: no unknown field reuses a tag this program knows, and the body fits in 4 GiB.
    public static func encode(_ connection: Connection) -> [UInt8] {
        var writer = RecordWriter(capacity: estimatedSize(of: connection))
        writer.bytes.append(encodingVersion)
        writer.appendUInt32LE(0)  // body length, patched below

        writer.appendField(.id, connection.id.bytes)
        writer.appendField(.workspace, connection.workspace.rawValue)
        writer.appendField(.name, connection.name.rawValue)
        writer.appendField(.type, connection.type.rawValue)
        for key in connection.properties.keys.sorted() {
            writer.appendEntryField(.property, key: key.rawValue, value: connection.properties[key]!.utf8)
        }
        for key in connection.sealedFields.keys.sorted() {
            writer.appendEntryField(.sealedField, key: key.rawValue, value: connection.sealedFields[key]!)
        }
        if let comment = connection.comment { writer.appendField(.comment, comment) }
        writer.appendField(.enabled, CollectionOfOne(connection.enabled ? 1 : 0))
        writer.appendField(.creator, connection.creator)
        writer.appendVarintField(.createdAt, RecordWriter.zigzag(connection.createdAt))
        writer.appendVarintField(.modifiedAt, RecordWriter.zigzag(connection.modifiedAt))
        writer.appendVarintField(.version, connection.version)
        for field in connection.unknownFields {
            precondition(
                field.tag != 0 && RecordTag(rawValue: field.tag) == nil,
                "unknown record field reuses tag \(field.tag), which this program knows")
            writer.appendField(field.tag, field.bytes)
        }

        let bodyLength = writer.bytes.count - 5
        precondition(bodyLength <= Int(UInt32.max), "connection record body exceeds 4 GiB")
        writer.patchUInt32LE(UInt32(bodyLength), at: 1)
        writer.appendUInt32LE(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Decodes a record from `bytes`, which may point straight into the LMDB map.
    ///
    /// - Throws: `CatalogError` `.catalogTooNew` if the record's encoding version or type is newer than this
    ///   program; `.integrityError` if it is truncated, has trailing bytes, fails its checksum, or has a
    ///   malformed, duplicated or missing field.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(CatalogError) -> Connection {
        try decode(bytes, withProperties: true)
    }

    /// Decodes what a listing shows (everything but the plain and sealed properties) from `bytes`, checking
    /// the record as `decode(_:)` does but skipping the property tables, which are most of the work.
    public static func decodeSummary(_ bytes: UnsafeRawBufferPointer) throws(CatalogError) -> ConnectionSummary {
        let fields = try decodeFields(bytes, withProperties: false)
        return ConnectionSummary(
            id: fields.id, name: fields.name, workspace: fields.workspace, type: fields.type, comment: fields.comment,
            enabled: fields.enabled, creator: fields.creator, createdAt: fields.createdAt,
            modifiedAt: fields.modifiedAt, version: fields.version)
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, withProperties: Bool) throws(CatalogError)
        -> Connection
    {
        let fields = try decodeFields(bytes, withProperties: withProperties)
        return Connection(
            id: fields.id, name: fields.name, workspace: fields.workspace, type: fields.type,
            properties: fields.properties, sealedFields: fields.sealedFields, comment: fields.comment,
            enabled: fields.enabled, creator: fields.creator, createdAt: fields.createdAt,
            modifiedAt: fields.modifiedAt, version: fields.version, unknownFields: fields.unknownFields)
    }

    private static func decodeFields(_ bytes: UnsafeRawBufferPointer, withProperties: Bool) throws(CatalogError)
        -> DecodedFields
    {
        let body = try checkedBody(of: bytes)
        return try decodeBody(RecordReader(bytes, from: body.lowerBound, to: body.upperBound), withProperties: withProperties)
    }

    /// Where sealed field `key` of the record in `bytes` is, with the id and workspace that its additional data
    /// names, as ranges into `bytes`; `envelope` is `nil` when the record has no such field.
    ///
    /// The lookup of one secret (such as the external ID a lakehouse presents to a cloud role) reads nothing
    /// else: the record's frame is checked as `decode(_:)` checks it (version, length, checksum), then only
    /// the id, workspace and sealed fields are looked at, and nothing is copied.
    static func locateSealedField(_ key: PropertyKey, in bytes: UnsafeRawBufferPointer) throws(CatalogError)
        -> (id: Range<Int>, workspace: Range<Int>, envelope: Range<Int>?)
    {
        let body = try checkedBody(of: bytes)
        var reader = RecordReader(bytes, from: body.lowerBound, to: body.upperBound)
        var id: Range<Int>?
        var workspace: Range<Int>?
        var envelope: Range<Int>?
        while !reader.isAtEnd {
            let rawTag = try reader.readVarint()
            let range = try reader.readRange(try reader.readVarint())
            switch RecordTag(rawValue: rawTag) {
            case .id:
                guard range.count == 16 else { throw RecordReader.corrupt("id is not 16 bytes") }
                id = range
            case .workspace:
                workspace = range
            case .sealedField where envelope == nil:
                var inner = RecordReader(bytes, from: range.lowerBound, to: range.upperBound)
                let name = reader.slice(try inner.readRange(try inner.readVarint()))
                let matches =
                    key.rawValue.utf8.withContiguousStorageIfAvailable { wanted in
                        name.count == wanted.count && !wanted.indices.contains { name[$0] != wanted[$0] }
                    } ?? name.elementsEqual(key.rawValue.utf8)
                if matches { envelope = inner.position..<range.upperBound }
            default:
                continue
            }
            // Everything needed is found: the fields after it (comment, times, version) are not walked.
            if id != nil, workspace != nil, envelope != nil { break }
        }
        guard let id, let workspace else { throw RecordReader.corrupt("required field id or workspace is missing") }
        return (id, workspace, envelope)
    }

    /// Checks a record's frame (encoding version, body length, checksum) and returns the range of its body.
    private static func checkedBody(of bytes: UnsafeRawBufferPointer) throws(CatalogError) -> Range<Int> {
        guard let version = bytes.first else { throw RecordReader.corrupt("record is empty") }
        guard version != 0 else { throw RecordReader.corrupt("encoding version 0 does not exist") }
        guard version <= encodingVersion else {
            throw CatalogError(
                .catalogTooNew,
                "connection record has encoding version \(version), but this program reads only up to"
                    + " \(encodingVersion); upgrade the program",
                details: ["found": String(version), "supported": String(encodingVersion)])
        }
        guard bytes.count >= overhead else { throw RecordReader.corrupt("record is truncated") }
        let bodyLength = Int(readUInt32LE(bytes, at: 1))
        guard bytes.count - overhead == bodyLength else {
            throw RecordReader.corrupt(
                bytes.count - overhead < bodyLength ? "record is truncated" : "record has trailing bytes")
        }
        let checksumOffset = 5 + bodyLength
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<checksumOffset]))
            == readUInt32LE(bytes, at: checksumOffset)
        else { throw RecordReader.corrupt("checksum mismatch") }
        return 5..<checksumOffset
    }

    /// Decodes a record from an array; see `decode(_:)` for the failure modes.
    public static func decode(_ bytes: [UInt8]) throws(CatalogError) -> Connection {
        let result: Result<Connection, CatalogError> = bytes.withUnsafeBytes { buffer in
            do throws(CatalogError) { return .success(try decode(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Every field of a record, checked, before it becomes a `Connection` or, without the property tables, a
    /// `ConnectionSummary` (a listing builds no `Connection` only to drop most of it).
    private struct DecodedFields {
        var id: ConnectionID
        var workspace: WorkspaceName
        var name: ConnectionName
        var type: ConnectionType
        var properties: [PropertyKey: String]
        var sealedFields: [PropertyKey: [UInt8]]
        var comment: String?
        var enabled: Bool
        var creator: String
        var createdAt: Int64
        var modifiedAt: Int64
        var version: UInt64
        var unknownFields: [UnknownRecordField]
    }

    private static func decodeBody(_ reader: RecordReader, withProperties: Bool) throws(CatalogError) -> DecodedFields {
        var reader = reader
        var id: ConnectionID?
        var workspace: WorkspaceName?
        var name: ConnectionName?
        var type: ConnectionType?
        // Sized for the usual record up front, so decoding does not grow and rehash the tables.
        var properties = [PropertyKey: String](minimumCapacity: withProperties ? 8 : 0)
        var sealedFields = [PropertyKey: [UInt8]](minimumCapacity: withProperties ? 2 : 0)
        var comment: String?
        var enabled: Bool?
        var creator: String?
        var createdAt: Int64?
        var modifiedAt: Int64?
        var version: UInt64?
        var unknownFields = [UnknownRecordField]()
        // Tags are 1…12: a bit each, instead of a set that would hash every field of every record.
        var seen: UInt64 = 0

        while !reader.isAtEnd {
            let rawTag = try reader.readVarint()
            let range = try reader.readRange(try reader.readVarint())
            guard let tag = RecordTag(rawValue: rawTag) else {
                guard rawTag != 0 else { throw RecordReader.corrupt("field tag 0") }
                unknownFields.append(UnknownRecordField(tag: rawTag, bytes: Array(reader.slice(range))))
                continue
            }
            if tag != .property, tag != .sealedField {
                let bit: UInt64 = 1 << tag.rawValue
                guard seen & bit == 0 else { throw RecordReader.corrupt("field \(tag) appears twice") }
                seen |= bit
            }
            switch tag {
            case .id:
                id = ConnectionID(bytes: reader.slice(range))
                guard id != nil else { throw RecordReader.corrupt("id is not 16 bytes") }
            case .workspace:
                workspace = try identifier(reader.string(range), WorkspaceName.init(_:quoted:))
            case .name:
                name = try identifier(reader.string(range), ConnectionName.init(_:quoted:))
            case .type:
                // Matched on the stored bytes: a string is made only for the message of an unknown type.
                let stored = reader.slice(range)
                if let known = typeSpellings.first(where: { $0.bytes.elementsEqual(stored) }) {
                    type = known.type
                    continue
                }
                let text = try reader.string(range)
                guard let parsed = ConnectionType(rawValue: text) else {
                    throw CatalogError(
                        .catalogTooNew,
                        "connection record has type '\(text)', which this program does not know; upgrade the program",
                        details: ["found": text])
                }
                type = parsed
            case .property where !withProperties, .sealedField where !withProperties:
                continue
            case .property:
                let (key, value) = try entry(reader, range)
                // One hash per entry: the insert itself tells whether the key was there.
                guard properties.updateValue(try reader.string(value), forKey: key) == nil else {
                    throw RecordReader.corrupt("property \(key) appears twice")
                }
            case .sealedField:
                let (key, value) = try entry(reader, range)
                guard sealedFields.updateValue(Array(reader.slice(value)), forKey: key) == nil else {
                    throw RecordReader.corrupt("sealed \(key) appears twice")
                }
            case .comment:
                comment = try reader.string(range)
            case .enabled:
                guard range.count == 1, reader.bytes[range.lowerBound] <= 1 else {
                    throw RecordReader.corrupt("enabled flag is not one byte 0 or 1")
                }
                enabled = reader.bytes[range.lowerBound] == 1
            case .creator:
                creator = try reader.string(range)
            case .createdAt:
                createdAt = RecordReader.unzigzag(try varint(reader, range))
            case .modifiedAt:
                modifiedAt = RecordReader.unzigzag(try varint(reader, range))
            case .version:
                version = try varint(reader, range)
            }
        }

        guard let id, let workspace, let name, let type, let enabled, let creator, let createdAt, let modifiedAt,
            let version
        else {
            let missing = RecordTag.allCases.filter {
                ![.property, .sealedField, .comment].contains($0) && seen & (1 << $0.rawValue) == 0
            }
            throw RecordReader.corrupt("required field \(missing.map { "\($0)" }.joined(separator: ", ")) is missing")
        }
        return DecodedFields(
            id: id, workspace: workspace, name: name, type: type, properties: properties,
            sealedFields: sealedFields, comment: comment, enabled: enabled, creator: creator,
            createdAt: createdAt, modifiedAt: modifiedAt, version: version, unknownFields: unknownFields)
    }

    /// A `key length | key | value` payload: the key and the range of the value.
    private static func entry(
        _ reader: RecordReader, _ range: Range<Int>
    ) throws(CatalogError) -> (PropertyKey, Range<Int>) {
        var inner = RecordReader(reader.bytes, from: range.lowerBound, to: range.upperBound)
        let keyRange = try inner.readRange(try inner.readVarint())
        let key = try reader.string(keyRange)
        guard !key.isEmpty else { throw RecordReader.corrupt("empty property key") }
        return (PropertyKey(rawValue: key), inner.position..<range.upperBound)
    }

    /// A payload that is exactly one varint.
    private static func varint(_ reader: RecordReader, _ range: Range<Int>) throws(CatalogError) -> UInt64 {
        var inner = RecordReader(reader.bytes, from: range.lowerBound, to: range.upperBound)
        let value = try inner.readVarint()
        guard inner.isAtEnd else { throw RecordReader.corrupt("number field has trailing bytes") }
        return value
    }

    /// A stored name, held to the identifier rules (in their quoted form, which allows any stored name).
    private static func identifier<Name>(
        _ text: String, _ make: (String, Bool) throws(CatalogError) -> Name
    ) throws(CatalogError) -> Name {
        do {
            return try make(text, true)
        } catch {
            throw CatalogError(
                .integrityError, "connection record is damaged: stored name is invalid; restore from a verified backup",
                details: ["reason": "invalid stored name"], underlying: error)
        }
    }

    private static func readUInt32LE(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
    }

    private static func estimatedSize(of connection: Connection) -> Int {
        var size = 96 + connection.name.rawValue.utf8.count + connection.workspace.rawValue.utf8.count
            + connection.creator.utf8.count + (connection.comment?.utf8.count ?? 0)
        for (key, value) in connection.properties { size += 8 + key.rawValue.utf8.count + value.utf8.count }
        for (key, value) in connection.sealedFields { size += 8 + key.rawValue.utf8.count + value.count }
        for field in connection.unknownFields { size += 20 + field.bytes.count }
        return size
    }
}
