/// Where a sealed value lives: catalog, workspace, connection and field.
///
/// Sealing binds a value to this place, so a ciphertext copied onto another record, field, workspace
/// or catalog fails to open. The connection is identified by its immutable id, not its name, so a
/// rename keeps its values valid. It does not stop an older value of the *same* field of the *same*
/// record from being put back (replay); versioning above this layer must catch that.
///
/// Canonical encoding (docs/sealing.md): `version (1) = 1 | catalog id (16) | workspace length (4, BE) |
/// workspace UTF-8 | connection id (16) | field length (4, BE) | field UTF-8`. Strings are used exactly
/// as given (no case folding or Unicode normalisation), so callers pass their canonical forms.
public struct AdditionalData: Sendable, Hashable, CustomStringConvertible {
    /// The catalog's 16-byte id.
    public let catalogID: [UInt8]
    /// The workspace name, in the catalog's canonical form.
    public let workspace: String
    /// The connection's immutable 16-byte id.
    public let connectionID: [UInt8]
    /// The property name, in the catalog's canonical form (for example `ACCESS_KEY`).
    public let fieldName: String
    /// The canonical encoding, computed once.
    public let encoded: [UInt8]

    static let formatVersion: UInt8 = 1
    /// The length of catalog and connection ids.
    public static let idByteCount = 16

    /// Describes the place a value is sealed for. Traps unless both ids are 16 bytes (a programmer error).
    public init(catalogID: [UInt8], workspace: String, connectionID: [UInt8], fieldName: String) {
        precondition(catalogID.count == Self.idByteCount, "catalog id must be 16 bytes")
        precondition(connectionID.count == Self.idByteCount, "connection id must be 16 bytes")
        self.catalogID = catalogID
        self.workspace = workspace
        self.connectionID = connectionID
        self.fieldName = fieldName
        let count = Self.encodedCount(workspace: workspace.utf8.count, fieldName: fieldName.utf8.count)
        var workspace = workspace
        var fieldName = fieldName
        let encoded = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            catalogID.withUnsafeBytes { catalogID in
                connectionID.withUnsafeBytes { connectionID in
                    workspace.withUTF8 { workspace in
                        fieldName.withUTF8 { fieldName in
                            Self.encode(
                                catalogID: catalogID, workspace: UnsafeRawBufferPointer(workspace),
                                connectionID: connectionID, fieldName: UnsafeRawBufferPointer(fieldName),
                                into: UnsafeMutableRawBufferPointer(buffer))
                        }
                    }
                }
            }
            initialized = count
        }
        self.encoded = encoded
    }

    /// The length of the canonical encoding for a workspace and field name of these UTF-8 lengths.
    static func encodedCount(workspace: Int, fieldName: Int) -> Int {
        1 + idByteCount + 4 + workspace + idByteCount + 4 + fieldName
    }

    /// Writes the canonical encoding of the place given by its parts into `output`, which is exactly
    /// `encodedCount` bytes: the one writer of the format, for `encoded` and for opening in place.
    static func encode(
        catalogID: UnsafeRawBufferPointer, workspace: UnsafeRawBufferPointer, connectionID: UnsafeRawBufferPointer,
        fieldName: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(catalogID.count == idByteCount && connectionID.count == idByteCount, "ids are 16 bytes")
        precondition(output.count == encodedCount(workspace: workspace.count, fieldName: fieldName.count))
        var position = 0
        func put(_ bytes: UnsafeRawBufferPointer) {
            UnsafeMutableRawBufferPointer(rebasing: output[position..<(position + bytes.count)]).copyMemory(from: bytes)
            position += bytes.count
        }
        func putLength(_ count: Int) {
            output.storeBytes(of: UInt32(count).bigEndian, toByteOffset: position, as: UInt32.self)
            position += 4
        }
        output[0] = formatVersion
        position = 1
        put(catalogID)
        putLength(workspace.count)
        put(workspace)
        put(connectionID)
        putLength(fieldName.count)
        put(fieldName)
    }

    public var description: String {
        "AdditionalData(catalog: \(Hex.encode(catalogID)), workspace: \(workspace), "
            + "connection: \(Hex.encode(connectionID)), field: \(fieldName))"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.encoded == rhs.encoded }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoded) }
}
