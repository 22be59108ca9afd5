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
        var encoded: [UInt8] = [Self.formatVersion]
        encoded.reserveCapacity(1 + 16 + 4 + workspace.utf8.count + 16 + 4 + fieldName.utf8.count)
        encoded += catalogID
        encoded.appendBigEndian(UInt32(workspace.utf8.count))
        encoded += workspace.utf8
        encoded += connectionID
        encoded.appendBigEndian(UInt32(fieldName.utf8.count))
        encoded += fieldName.utf8
        self.encoded = encoded
    }

    public var description: String {
        "AdditionalData(catalog: \(Hex.encode(catalogID)), workspace: \(workspace), "
            + "connection: \(Hex.encode(connectionID)), field: \(fieldName))"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.encoded == rhs.encoded }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoded) }
}
