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
package enum ConnectionRecord {
    /// The encoding version this program writes; a record with a higher one is refused as too new.
    package static let encodingVersion: UInt8 = 1

    /// Bytes outside the body: version, body length and checksum.
    static let overhead = 9

    /// Encodes `connection`, sealed fields as their envelope bytes and unknown fields as they were read.
    ///
    /// - Precondition: no unknown field reuses a tag this program knows, and the body fits in 4 GiB.
    package static func encode(_ connection: Connection) -> [UInt8] {
        // Sorted once as entries for both passes, so no value is looked up again by its key.
        let properties = connection.properties.sorted { $0.key < $1.key }
        let sealedFields = connection.sealedFields.sorted { $0.key < $1.key }
        var counter = RecordWriter.counting
        writeBody(of: connection, properties: properties, sealedFields: sealedFields, into: &counter)
        let bodyLength = counter.count
        precondition(bodyLength <= Int(UInt32.max), "connection record body exceeds 4 GiB")
        let total = bodyLength + overhead
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            var writer = RecordWriter(into: UnsafeMutableRawPointer(buffer.baseAddress!))
            writer.appendByte(encodingVersion)
            writer.appendUInt32LE(UInt32(bodyLength))
            writeBody(of: connection, properties: properties, sealedFields: sealedFields, into: &writer)
            writer.appendUInt32LE(CRC32C.checksum(UnsafeRawBufferPointer(start: buffer.baseAddress, count: total - 4)))
            precondition(writer.count == total, "the record's two encoding passes disagree")
            initialized = total
        }
    }

    /// The body's fields: known ones in tag order, map entries sorted by key, then unknown fields as read.
    private static func writeBody(
        of connection: Connection, properties: [(key: PropertyKey, value: String)],
        sealedFields: [(key: PropertyKey, value: [UInt8])], into writer: inout RecordWriter
    ) {
        writer.appendField(.id, high: connection.id.high, low: connection.id.low)
        writer.appendField(.workspace, connection.workspace.rawValue)
        writer.appendField(.name, connection.name.rawValue)
        writer.appendField(.type, connection.type.rawValue)
        for (key, value) in properties {
            var value = value
            value.withUTF8 { writer.appendEntryField(.property, key: key.rawValue, value: UnsafeRawBufferPointer($0)) }
        }
        for (key, value) in sealedFields {
            value.withUnsafeBytes { writer.appendEntryField(.sealedField, key: key.rawValue, value: $0) }
        }
        if let comment = connection.comment { writer.appendField(.comment, comment) }
        writer.appendByteField(.enabled, connection.enabled ? 1 : 0)
        writer.appendField(.creator, connection.creator)
        writer.appendVarintField(.createdAt, RecordWriter.zigzag(connection.createdAt))
        writer.appendVarintField(.modifiedAt, RecordWriter.zigzag(connection.modifiedAt))
        writer.appendVarintField(.version, connection.version)
        for field in connection.unknownFields {
            precondition(
                field.tag != 0 && RecordTag(rawValue: field.tag) == nil,
                "unknown record field reuses tag \(field.tag), which this program knows")
            field.bytes.withUnsafeBytes { writer.appendField(field.tag, $0) }
        }
    }

    /// Decodes a record from `bytes`, which may point straight into the LMDB map.
    ///
    /// - Throws: `CatalogError` `.catalogTooNew` if the record's encoding version or type is newer than this
    ///   program; `.integrityError` if it is truncated, has trailing bytes, fails its checksum, or has a
    ///   malformed, duplicated or missing field (`RecordFields` holds every rule).
    package static func decode(_ bytes: UnsafeRawBufferPointer) throws(CatalogError) -> Connection {
        var fields = try RecordFields(bytes)
        var head = Head()
        // Sized for the usual record up front, so decoding does not grow and rehash the tables.
        var properties = [PropertyKey: String](minimumCapacity: 8)
        var sealedFields = [PropertyKey: [UInt8]](minimumCapacity: 2)
        var unknownFields = [UnknownRecordField]()
        while let field = try fields.next() {
            switch field {
            case .property(let key, let value):
                properties[PropertyKey(rawValue: fields.string(key))] = fields.string(value)
            case .sealedField(let key, let value):
                sealedFields[PropertyKey(rawValue: fields.string(key))] = Array(fields.slice(value))
            case .unknown(let tag, let range):
                unknownFields.append(UnknownRecordField(tag: tag, bytes: Array(fields.slice(range))))
            default:
                head.take(field, from: fields)
            }
        }
        return Connection(
            id: head.id!, name: head.name!, workspace: head.workspace!, type: head.type!, properties: properties,
            sealedFields: sealedFields, comment: head.comment, enabled: head.enabled!, creator: head.creator!,
            createdAt: head.createdAt!, modifiedAt: head.modifiedAt!, version: head.version!,
            unknownFields: unknownFields)
    }

    /// Decodes what a listing shows (everything but the plain and sealed properties) from `bytes`. The record
    /// is checked field by field as `decode(_:)` checks it; only the property tables are not built.
    package static func decodeSummary(_ bytes: UnsafeRawBufferPointer) throws(CatalogError) -> ConnectionSummary {
        try withSummary(of: bytes) { ConnectionSummary($0) }
    }

    /// Lends `body` what a listing shows of the record in `bytes`, its text fields borrowed from `bytes`. The
    /// record is walked and checked whole, as `decode(_:)` does, so it refuses the same records; nothing is
    /// copied.
    package static func withSummary<R>(
        of bytes: UnsafeRawBufferPointer, _ body: (ConnectionSummaryView) throws(CatalogError) -> R
    ) throws(CatalogError) -> R {
        try body(try summary(of: bytes) { _, _ in })
    }

    /// Lends `body` what DESC shows of the record in `bytes`: the summary and every property entry, borrowed from
    /// `bytes`. The record is walked and checked whole, as `decode(_:)` does, so it refuses the same records.
    package static func withDetail<R>(
        of bytes: UnsafeRawBufferPointer, _ body: (ConnectionDetailView) throws(CatalogError) -> R
    ) throws(CatalogError) -> R {
        var entries: [ConnectionDetailView.Entry] = []
        entries.reserveCapacity(8)
        let summary = try summary(of: bytes) { field, fields in
            switch field {
            case .property(let key, let value):
                entries.append(.init(key: fields.slice(key), value: fields.slice(value), isSealed: false))
            case .sealedField(let key, let value):
                entries.append(.init(key: fields.slice(key), value: fields.slice(value), isSealed: true))
            default: break
            }
        }
        return try body(ConnectionDetailView(summary: summary, entries: entries))
    }

    /// The walk under `withSummary` and `withDetail`: the listing's fields as the view, and every other field
    /// handed to `other` as it comes.
    private static func summary(
        of bytes: UnsafeRawBufferPointer, other: (RecordField, borrowing RecordFields) -> Void
    ) throws(CatalogError) -> ConnectionSummaryView {
        var fields = try RecordFields(bytes)
        var identity = SealedFieldWalk.IdentitySoFar()
        var type = ConnectionType.oss
        var comment: Range<Int>?
        var enabled = false
        var creator = 0..<0
        var createdAt: Int64 = 0
        var modifiedAt: Int64 = 0
        while let field = try fields.next() {
            guard !identity.take(field) else { continue }
            switch field {
            case .type(let value): type = value
            case .comment(let range): comment = range
            case .enabled(let value): enabled = value
            case .creator(let range): creator = range
            case .createdAt(let value): createdAt = value
            case .modifiedAt(let value): modifiedAt = value
            default: other(field, fields)
            }
        }
        let named = identity.complete
        return ConnectionSummaryView(
            id: fields.slice(named.id), workspace: fields.slice(named.workspace), name: fields.slice(named.name),
            type: type, comment: comment.map(fields.slice), enabled: enabled, creator: fields.slice(creator),
            createdAt: createdAt, modifiedAt: modifiedAt, version: named.version)
    }

    /// Where sealed field `key` of the record in `bytes` is, with the id and workspace that its additional data
    /// names, as ranges into `bytes`; `envelope` is `nil` when the record has no such field.
    ///
    /// The lookup of one secret (such as the external ID a lakehouse presents to a cloud role) copies nothing
    /// and builds nothing, but walks and checks the whole record as `decode(_:)` does, so it refuses the same
    /// records.
    package static func locateSealedField(
        _ key: PropertyKey, in bytes: UnsafeRawBufferPointer
    ) throws(CatalogError)
        -> (id: Range<Int>, workspace: Range<Int>, envelope: Range<Int>?)
    {
        var walk = try SealedFieldWalk(bytes)
        var envelope: Range<Int>?
        let wanted = key.rawValue.utf8
        while let field = try walk.next() {
            let stored = walk.slice(field.key)
            let matches =
                wanted.withContiguousStorageIfAvailable { stored.elementsEqual($0) } ?? stored.elementsEqual(wanted)
            if matches { envelope = field.envelope }
        }
        let identity = walk.identity
        return (identity.id, identity.workspace, envelope)
    }

    /// Decodes a record from an array; see `decode(_:)` for the failure modes.
    package static func decode(_ bytes: [UInt8]) throws(CatalogError) -> Connection {
        let result: Result<Connection, CatalogError> = bytes.withUnsafeBytes { buffer in
            do throws(CatalogError) { return .success(try decode(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The fields a `Connection` and a `ConnectionSummary` share, as the walk yields them. Each required one
    /// is set once the walk has ended (it refuses a record without it), so the readers unwrap them.
    private struct Head {
        var id: ConnectionID?
        var workspace: WorkspaceName?
        var name: ConnectionName?
        var type: ConnectionType?
        var comment: String?
        var enabled: Bool?
        var creator: String?
        var createdAt: Int64?
        var modifiedAt: Int64?
        var version: UInt64?

        mutating func take(_ field: RecordField, from fields: RecordFields) {
            switch field {
            case .id(let range): id = ConnectionID(bytes: fields.slice(range))
            case .workspace(let range): workspace = WorkspaceName(storedForm: fields.string(range))
            case .name(let range): name = ConnectionName(storedForm: fields.string(range))
            case .type(let value): type = value
            case .comment(let range): comment = fields.string(range)
            case .enabled(let value): enabled = value
            case .creator(let range): creator = fields.string(range)
            case .createdAt(let value): createdAt = value
            case .modifiedAt(let value): modifiedAt = value
            case .version(let value): version = value
            case .property, .sealedField, .unknown: break
            }
        }
    }
}
