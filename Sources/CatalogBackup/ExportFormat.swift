internal import ConnectionCatalog
internal import Foundation

/// The lines of an export file (docs/backup.md): a header, one line per connection, a trailer. Each line is one
/// JSON object with sorted keys, ending in `\n`.
enum ExportFormat {
    static let formatName = "connection-catalog-export"
    static let formatVersion = 1
    /// The checksum domain: the trailer's checksum covers this, then every byte before the trailer.
    static let checksumDomain = Array("connection-catalog-export v1\n".utf8)

    struct Header: Codable {
        var format: String
        var formatVersion: Int
        var catalogID: String
        var schemaVersion: Int
        var exportedAt: String
        var exportedAtMilliseconds: Int64
        var connections: Int
        var history: Bool
        /// The source keyring wrapped by the source master key, standard base64 (never plain keys).
        var keyring: String
        /// The source master key's check value, standard base64.
        var checkValue: String

        enum CodingKeys: String, CodingKey {
            case format
            case formatVersion = "format_version"
            case catalogID = "catalog_id"
            case schemaVersion = "schema_version"
            case exportedAt = "exported_at"
            case exportedAtMilliseconds = "exported_at_ms"
            case connections, history, keyring
            case checkValue = "check_value"
        }
    }

    struct Record: Codable {
        struct Unknown: Codable, Equatable {
            var tag: UInt64
            var bytes: String
        }

        var id: String
        var workspace: String
        var name: String
        var category: String
        var type: String
        var properties: [String: String]
        /// Sealed values: key to the envelope, standard base64, still sealed under the source catalog.
        var sealed: [String: String]
        var comment: String?
        var enabled: Bool
        var creator: String
        var createdAt: Int64
        var modifiedAt: Int64
        var version: UInt64
        var unknownFields: [Unknown]?

        enum CodingKeys: String, CodingKey {
            case id, workspace, name, category, type, properties, sealed, comment, enabled, creator, version
            case createdAt = "created_at"
            case modifiedAt = "modified_at"
            case unknownFields = "unknown_fields"
        }

        init(_ connection: Connection) {
            id = connection.id.description
            workspace = connection.workspace.rawValue
            name = connection.name.rawValue
            category = connection.category.rawValue
            type = connection.type.rawValue
            properties = Dictionary(uniqueKeysWithValues: connection.properties.map { ($0.key.rawValue, $0.value) })
            sealed = Dictionary(
                uniqueKeysWithValues: connection.sealedFields.map {
                    ($0.key.rawValue, Data($0.value).base64EncodedString())
                })
            comment = connection.comment
            enabled = connection.enabled
            creator = connection.creator
            createdAt = connection.createdAt
            modifiedAt = connection.modifiedAt
            version = connection.version
            unknownFields =
                connection.unknownFields.isEmpty
                ? nil
                : connection.unknownFields.map { Unknown(tag: $0.tag, bytes: Data($0.bytes).base64EncodedString()) }
        }

        /// The connection this line describes.
        ///
        /// - Throws: `CatalogError` `.integrityError` for a malformed field, `.catalogTooNew` for a type this
        ///   program does not know.
        func connection(line: Int) throws(CatalogError) -> Connection {
            func bad(_ what: String) -> CatalogError {
                CatalogError(.integrityError, "line \(line) of the export is malformed (\(what)); use another export")
            }
            guard let id = ConnectionID(hex: id) else { throw bad("id") }
            guard let type = ConnectionType(rawValue: type) else {
                throw CatalogError(
                    .catalogTooNew,
                    "line \(line) has connection type '\(type)', which this program does not know; "
                        + "import with a newer program")
            }
            let name: ConnectionName
            let workspace: WorkspaceName
            do {
                name = try ConnectionName(self.name)
                workspace = try WorkspaceName(self.workspace)
            } catch {
                throw bad("name or workspace")
            }
            var sealedFields: [PropertyKey: [UInt8]] = [:]
            for (key, value) in sealed {
                guard let bytes = Data(base64Encoded: value) else { throw bad("sealed \(key)") }
                sealedFields[PropertyKey(rawValue: key)] = Array(bytes)
            }
            var unknown: [UnknownRecordField] = []
            for field in unknownFields ?? [] {
                guard let bytes = Data(base64Encoded: field.bytes), field.tag > 12 else { throw bad("unknown field") }
                unknown.append(UnknownRecordField(tag: field.tag, bytes: Array(bytes)))
            }
            return Connection(
                id: id, name: name, workspace: workspace, type: type,
                properties: Dictionary(
                    uniqueKeysWithValues: properties.map { (PropertyKey(rawValue: $0.key), $0.value) }),
                sealedFields: sealedFields, comment: comment, enabled: enabled, creator: creator, createdAt: createdAt,
                modifiedAt: modifiedAt, version: version, unknownFields: unknown)
        }
    }

    struct Trailer: Codable {
        var end: String
        var connections: Int
        var checksum: String
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
