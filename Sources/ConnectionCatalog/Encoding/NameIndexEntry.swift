/// A value of the name index: the connection's record key (its 16-byte id), then, from schema 4, what SHOW lists
/// of it (type, enabled, created time), so that a listing reads the index alone instead of looking up and walking
/// each matching record. docs/format.md, "The name index entry".
///
/// An entry of the id alone (written before schema 4, or by a catalog kept at an earlier schema) is still read:
/// its listing is then taken from the record.
enum NameIndexEntry {
    /// The listing's layout version, the byte after the id.
    static let listingVersion: UInt8 = 1
    /// id, version, enabled, created time.
    private static let fixedBytes = ConnectionID.byteCount + 1 + 1 + 8
    private static let checksumBytes = 4
    /// The first schema whose entries carry the listing.
    static let firstListingSchema = 4

    /// What the index lists of a connection.
    struct Listing: Equatable {
        var type: ConnectionType
        var enabled: Bool
        var createdAt: Int64
    }

    /// The entry of `connection` in a catalog of schema `schemaVersion`: the id alone before schema 4.
    static func value(for connection: Connection, schemaVersion: Int) -> [UInt8] {
        guard schemaVersion >= firstListingSchema else { return CatalogKeys.recordKey(for: connection.id) }
        return value(id: connection.id, Listing(of: connection))
    }

    /// The entry of id `id` with `listing`, its checksum last.
    static func value(id: ConnectionID, _ listing: Listing) -> [UInt8] {
        let type = listing.type.rawValue.utf8
        let count = fixedBytes + type.count + checksumBytes
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var at = 0
            func put(_ byte: UInt8) {
                buffer[at] = byte
                at += 1
            }
            func putBigEndian(_ value: UInt64) {
                for shift in stride(from: 56, through: 0, by: -8) { put(UInt8(truncatingIfNeeded: value >> shift)) }
            }
            putBigEndian(id.high)
            putBigEndian(id.low)
            put(listingVersion)
            put(listing.enabled ? 1 : 0)
            putBigEndian(UInt64(bitPattern: listing.createdAt))
            for byte in type { put(byte) }
            let checksum = CRC32C.checksum(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[..<at])))
            for shift in stride(from: 0, through: 24, by: 8) { put(UInt8(truncatingIfNeeded: checksum >> shift)) }
            initialized = at
        }
    }

    /// The record key (the id's 16 bytes) that `value` holds, as it lies in `value`.
    ///
    /// - Throws: `.integrityError` for a value too short to hold one.
    static func recordKey(of value: UnsafeRawBufferPointer) throws(CatalogError) -> UnsafeRawBufferPointer {
        guard value.count >= ConnectionID.byteCount else { throw damaged("it is shorter than a connection id") }
        return UnsafeRawBufferPointer(rebasing: value[..<ConnectionID.byteCount])
    }

    /// The listing `value` carries, or `nil` for an entry of the id alone. The entry is checked whole: its
    /// length, its checksum, its version, its enabled byte and its type.
    ///
    /// - Throws: `.integrityError` for a damaged entry; `.catalogTooNew` for a listing version or a type this
    ///   program does not know.
    static func listing(of value: UnsafeRawBufferPointer) throws(CatalogError) -> Listing? {
        if value.count == ConnectionID.byteCount { return nil }
        guard value.count > fixedBytes + checksumBytes else { throw damaged("its length is \(value.count) bytes") }
        let body = value.count - checksumBytes
        guard
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: value[..<body]))
                == RecordFields.readUInt32LE(value, at: body)
        else {
            throw damaged("its checksum does not match")
        }
        let version = value[ConnectionID.byteCount]
        guard version != 0 else { throw damaged("its listing version is 0") }
        guard version <= listingVersion else {
            throw CatalogError(
                .catalogTooNew,
                "a name index entry has listing version \(version), which this program does not know; upgrade the program",
                details: ["found": "\(version)"])
        }
        let enabled = value[ConnectionID.byteCount + 1]
        guard enabled <= 1 else { throw damaged("its enabled byte is \(enabled)") }
        // Eight bytes by the length checked above.
        let createdAt = BigEndian.uint64(value[(ConnectionID.byteCount + 2)..<fixedBytes]) ?? 0
        let type = try RecordFields.storedType(UnsafeRawBufferPointer(rebasing: value[fixedBytes..<body]))
        return Listing(type: type, enabled: enabled == 1, createdAt: Int64(bitPattern: createdAt))
    }

    /// The id that `bytes` holds when they are a whole, undamaged entry of either form; `nil` otherwise (for
    /// salvage, which tells index entries from noise by their shape).
    static func id(ofWholeEntry bytes: [UInt8]) -> ConnectionID? {
        bytes.withUnsafeBytes { value in
            do {
                _ = try listing(of: value)
                return ConnectionID(bytes: try recordKey(of: value))
            } catch {
                return nil
            }
        }
    }

    private static func damaged(_ what: String) -> CatalogError {
        CatalogError(
            .integrityError,
            "a name index entry is damaged: \(what); run `catalog check`, then restore from a verified backup",
            details: ["reason": "damaged name index entry"])
    }
}

extension NameIndexEntry.Listing {
    /// What the index lists of `connection`.
    init(of connection: Connection) {
        self.init(type: connection.type, enabled: connection.enabled, createdAt: connection.createdAt)
    }
}
