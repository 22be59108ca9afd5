internal import ConnectionCatalog

/// DESC CONNECTION: two columns, `info_name | info_value`. Lower-case metadata rows, then the upper-case
/// property rows in the schema's order, then EXTERNAL_ID in full. Secret values are never shown; key ids
/// are masked (first 6 characters, then `*`). EXTENDED adds the `trust_policy` row (`TrustPolicy`), and its
/// notices when the platform principal is not set.
enum DescribeResult {
    static let columns = ["info_name", "info_value"]
    /// What a secret shows as: the same for every secret, so its length is not given away.
    static let hiddenSecret = "********"

    static func make(for connection: Connection, extended: Bool, reader: some CatalogReading) throws -> ResultSet {
        var result = ResultSet.Builder(columns: columns, rows: 16, bytesPerRow: 40)
        func row(_ name: String, _ value: String?) {
            result.append(name)
            result.append(value)
        }
        row("name", connection.name.rawValue)
        row("category", connection.category.rawValue)
        row("type", connection.type.rawValue)
        row("enabled", ValueFormat.enabled(connection.enabled))
        row("creator", connection.creator)
        result.append("created_time")
        result.append(timestamp: connection.createdAt)
        result.append("last_modified_time")
        result.append(timestamp: connection.modifiedAt)
        result.append("version")
        result.append(decimal: connection.version)
        row("comment", connection.comment)
        // The schema's keys in its order (each looked up once), then any other plain key, sorted.
        let schema = connection.type.schema
        var propertiesShown = 0
        for key in schema.keys where key != .externalID {
            if connection.sealedFields[key] != nil {
                row(key.rawValue, hiddenSecret)
            } else if let value = connection.properties[key] {
                row(key.rawValue, isKeyID(key, in: connection) ? ValueFormat.maskedKeyID(value) : value)
                propertiesShown += 1
            }
        }
        if propertiesShown < connection.properties.count {
            for (key, value) in connection.properties.sorted(by: { $0.key < $1.key })
            where key != .externalID && !schema.keys.contains(key) {
                row(key.rawValue, value)
            }
        }
        let externalID = try reader.externalID(of: connection)
        row(PropertyKey.externalID.rawValue, externalID)
        var notices: [String] = []
        if extended, let externalID,
            let policy = try TrustPolicy.make(for: connection, externalID: externalID, reader: reader)
        {
            result.append(policy.row[0])
            result.append(policy.row[1])
            notices = policy.notices
        }
        return result.result(notices: notices)
    }

    /// The key id of a key pair: OSS's ACCESS_ID, S3's ACCESS_KEY_ID, COS's ACCESS_KEY (whose secret half is
    /// SECRET_KEY).
    private static func isKeyID(_ key: PropertyKey, in connection: Connection) -> Bool {
        key == .accessID || key == .accessKeyID || (connection.type == .cos && key == .accessKey)
    }
}
