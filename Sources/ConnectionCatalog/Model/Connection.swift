/// One CONNECTION object as the catalog stores it: identity, properties, sealed secrets and bookkeeping.
///
/// `properties` hold the plain values under canonical keys; `sealedFields` hold the envelopes the sealing
/// layer produced (opaque here; the plaintext never lives in a `Connection`). `unknownFields` carry record
/// fields written by a newer program, so that this program writes them back unchanged. `description`
/// shows sealed fields as their sizes only.
public struct Connection: Hashable, Sendable, CustomStringConvertible {
    /// Immutable identity; keys the record and binds the sealed values.
    public var id: ConnectionID
    /// The current name; unique within the workspace.
    public var name: ConnectionName
    /// The workspace the connection belongs to.
    public var workspace: WorkspaceName
    /// The type, which fixes the category and the property schema.
    public var type: ConnectionType
    /// Plain properties, canonical key to value.
    public var properties: [PropertyKey: String]
    /// Sealed properties, canonical key to envelope bytes.
    package var sealedFields: [PropertyKey: [UInt8]]
    /// The user's comment, if any.
    public var comment: String?
    /// Whether the connection may be used.
    public var enabled: Bool
    /// Who created the connection.
    public var creator: String
    /// Creation time, milliseconds since the Unix epoch (UTC).
    public var createdAt: Int64
    /// Last change, milliseconds since the Unix epoch (UTC).
    public var modifiedAt: Int64
    /// Starts at 1 and grows by one on every change; used for optimistic concurrency.
    public var version: UInt64
    /// Record fields this program does not know, kept in the order read and written back as they were.
    package var unknownFields: [UnknownRecordField]

    /// The category, derived from `type`.
    package var category: ConnectionCategory { type.category }

    /// Creates a connection; `version` defaults to 1, a new record's version.
    package init(
        id: ConnectionID,
        name: ConnectionName,
        workspace: WorkspaceName = .default,
        type: ConnectionType,
        properties: [PropertyKey: String] = [:],
        sealedFields: [PropertyKey: [UInt8]] = [:],
        comment: String? = nil,
        enabled: Bool = true,
        creator: String,
        createdAt: Int64,
        modifiedAt: Int64? = nil,
        version: UInt64 = 1,
        unknownFields: [UnknownRecordField] = []
    ) {
        self.id = id
        self.name = name
        self.workspace = workspace
        self.type = type
        self.properties = properties
        self.sealedFields = sealedFields
        self.comment = comment
        self.enabled = enabled
        self.creator = creator
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt ?? createdAt
        self.version = version
        self.unknownFields = unknownFields
    }

    public var description: String {
        let plain = properties.keys.sorted().map { "\($0)=\(properties[$0]!)" }
        let sealed = sealedFields.keys.sorted().map { "\($0)=<sealed \(sealedFields[$0]!.count) bytes>" }
        return "Connection(\(workspace).\(name) id=\(id) \(type) v\(version) "
            + (plain + sealed).joined(separator: " ") + ")"
    }
}

/// A record field this program does not understand: its tag and its bytes, kept for writing back.
package struct UnknownRecordField: Hashable, Sendable {
    /// The field's tag; never one this program knows.
    package var tag: UInt64
    /// The field's payload, exactly as read.
    package var bytes: [UInt8]

    package init(tag: UInt64, bytes: [UInt8]) {
        self.tag = tag
        self.bytes = bytes
    }
}

extension Connection {
    /// Whose cloud the connection is in (`ConnectionType.provider(named:)`).
    package var provider: Provider? { type.provider(named: properties[.provider]) }
}
