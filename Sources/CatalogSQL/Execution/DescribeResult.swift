internal import ConnectionCatalog

/// DESC CONNECTION: two columns, `info_name | info_value`. Lower-case metadata rows, then the upper-case
/// property rows in the schema's order, then EXTERNAL_ID in full. Secret values are never shown; key ids
/// are masked (first 6 characters, then `*`).
enum DescribeResult {
    static let columns = ["info_name", "info_value"]
    /// What a secret shows as: the same for every secret, so its length is not given away.
    static let hiddenSecret = "********"
    /// Properties that identify a key without being secret; DESC shows them masked.
    static let keyIDs: Set<PropertyKey> = [.accessID, .accessKeyID]

    static func make(for connection: Connection, extended: Bool, reader: some CatalogReading) throws -> ResultSet {
        var rows: [[String?]] = [
            ["name", connection.name.rawValue],
            ["category", connection.category.rawValue],
            ["type", connection.type.rawValue],
            ["enabled", ValueFormat.enabled(connection.enabled)],
            ["creator", connection.creator],
            ["created_time", ValueFormat.timestamp(millisecondsSinceEpoch: connection.createdAt)],
            ["last_modified_time", ValueFormat.timestamp(millisecondsSinceEpoch: connection.modifiedAt)],
            ["version", "\(connection.version)"],
            ["comment", connection.comment],
        ]
        let schema = connection.type.schema
        let ordered = schema.keys.filter { connection.properties[$0] != nil || connection.sealedFields[$0] != nil }
        let unknown = connection.properties.keys.filter { !schema.keys.contains($0) }.sorted()
        for key in ordered + unknown where key != .externalID {
            if connection.sealedFields[key] != nil {
                rows.append([key.rawValue, hiddenSecret])
            } else if let value = connection.properties[key] {
                rows.append([key.rawValue, isKeyID(key, in: connection) ? ValueFormat.maskedKeyID(value) : value])
            }
        }
        let externalID = try reader.externalID(of: connection)
        rows.append([PropertyKey.externalID.rawValue, externalID])
        if extended, let externalID {
            rows += try TrustPolicy.rows(for: connection, externalID: externalID, reader: reader)
        }
        return ResultSet(columns: columns, rows: rows)
    }

    /// The key id of a key pair: OSS's ACCESS_ID, S3's ACCESS_KEY_ID, COS's ACCESS_KEY (whose secret half is
    /// SECRET_KEY).
    private static func isKeyID(_ key: PropertyKey, in connection: Connection) -> Bool {
        keyIDs.contains(key) || (connection.type == .cos && key == .accessKey)
    }
}
