internal import ConnectionCatalog

/// DESC CONNECTION: two columns, `info_name | info_value`. Lower-case metadata rows, then the upper-case
/// property rows in the schema's order, then EXTERNAL_ID in full. Secret values are never shown; key ids
/// are masked (first 6 characters, then `*`). EXTENDED adds the `trust_policy` row (`TrustPolicy`), and its
/// notices when the platform principal is not set.
///
/// Every row comes from a `ConnectionDetailView`: the current version's straight from its stored record, without
/// decoding it into a `Connection`; an earlier version's, and EXTENDED's (whose trust policy needs the whole
/// connection), from the decoded connection.
enum DescribeResult {
    static let columns = ["info_name", "info_value"]
    /// What a secret shows as: the same for every secret, so its length is not given away.
    static let hiddenSecret = "********"

    /// DESC of the current version of the connection named `name`; `nil` when there is none.
    static func make(
        named name: ConnectionName, in workspace: WorkspaceName, reader: some CatalogReading
    ) throws
        -> ResultSet?
    {
        var result = ResultSet.Builder(columns: columns, rows: 16, bytesPerRow: 40)
        let found = try reader.withDetail(ofConnectionNamed: name, in: workspace) { view, externalID in
            appendRows(of: view, externalID: externalID, to: &result)
        }
        return found ? result.result() : nil
    }

    /// DESC of `connection`, with the trust policy row when `extended`.
    static func make(for connection: Connection, extended: Bool, reader: some CatalogReading) throws -> ResultSet {
        var result = ResultSet.Builder(columns: columns, rows: 16, bytesPerRow: 40)
        let externalID = try reader.externalID(of: connection)
        try connection.withDetail { view in
            guard var externalID else { return appendRows(of: view, externalID: nil, to: &result) }
            externalID.withUTF8 { appendRows(of: view, externalID: UnsafeRawBufferPointer($0), to: &result) }
        }
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

    /// The rows of every DESC: metadata, properties, EXTERNAL_ID (`nil`, NULL, when the connection has none).
    private static func appendRows(
        of view: ConnectionDetailView, externalID: UnsafeRawBufferPointer?, to result: inout ResultSet.Builder
    ) {
        let summary = view.summary
        func row(_ name: String, _ value: String) {
            result.append(name)
            result.append(value)
        }
        func row(_ name: String, utf8 value: UnsafeRawBufferPointer?) {
            result.append(name)
            if let value { result.append(utf8: value) } else { result.appendNull() }
        }
        // A stored name is lower case as this program writes it; one that is not is shown as its canonical form.
        if summary.name.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            row("name", String(decoding: summary.name, as: UTF8.self).lowercased())
        } else {
            row("name", utf8: summary.name)
        }
        row("category", summary.category.rawValue)
        row("type", summary.type.rawValue)
        row("enabled", ValueFormat.enabled(summary.enabled))
        row("creator", utf8: summary.creator)
        result.append("created_time")
        result.append(timestamp: summary.createdAt)
        result.append("last_modified_time")
        result.append(timestamp: summary.modifiedAt)
        result.append("version")
        result.append(decimal: summary.version)
        row("comment", utf8: summary.comment)
        // The schema's keys in its order (a sealed one shown hidden), then any other plain key, sorted.
        let schema = summary.type.schema
        var propertiesShown = 0
        for key in schema.keys where key != .externalID {
            if view.entry(key, sealed: true) != nil {
                row(key.rawValue, hiddenSecret)
            } else if let entry = view.entry(key, sealed: false) {
                if isKeyID(key, of: summary.type) {
                    row(key.rawValue, ValueFormat.maskedKeyID(String(decoding: entry.value, as: UTF8.self)))
                } else {
                    row(key.rawValue, utf8: entry.value)
                }
                propertiesShown += 1
            }
        }
        if propertiesShown < view.entries.count(where: { !$0.isSealed }) {
            let others = view.entries.filter { entry in
                let key = PropertyKey(rawValue: String(decoding: entry.key, as: UTF8.self))
                return !entry.isSealed && key != .externalID && !schema.keys.contains(key)
            }
            for entry in others.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                result.append(utf8: entry.key)
                result.append(utf8: entry.value)
            }
        }
        row(PropertyKey.externalID.rawValue, utf8: externalID)
    }

    /// The key id of a key pair: OSS's ACCESS_ID, S3's ACCESS_KEY_ID, COS's ACCESS_KEY (whose secret half is
    /// SECRET_KEY).
    private static func isKeyID(_ key: PropertyKey, of type: ConnectionType) -> Bool {
        key == .accessID || key == .accessKeyID || (type == .cos && key == .accessKey)
    }
}
