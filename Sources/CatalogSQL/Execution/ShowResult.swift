internal import ConnectionCatalog

/// SHOW [API | STORAGE] CONNECTIONS [LIKE 'pattern' | WHERE column = '…' AND …]: `name | category | type |
/// enabled | created_time` in name order.
enum ShowResult {
    static let columns = ["name", "category", "type", "enabled", "created_time"]
    /// The columns WHERE may test, compared without case against what SHOW and DESC display.
    static let filterColumns = ["name", "category", "type", "enabled", "creator", "provider", "region"]

    /// The WHERE columns that need a connection's properties; the others are answered from its summary.
    static let propertyColumns: Set<String> = ["provider", "region"]

    static func make(
        for show: ShowConnections, in workspace: WorkspaceName, reader: some CatalogReading
    ) throws
        -> ResultSet
    {
        let category: ConnectionCategory? = show.category.map { $0 == .api ? .api : .storage }
        var pattern: NamePattern?
        var tests: [(column: String, value: String)] = []
        switch show.filter {
        case .none:
            break
        case .like(let text):
            pattern = NamePattern(like: text)
        case .where(let conditions):
            tests = try conditions.map { condition in
                let column = condition.column.text.lowercased()
                guard filterColumns.contains(column) else {
                    throw CatalogError(
                        .invalidValue,
                        "SHOW cannot filter on '\(condition.column.text)'; use one of \(filterColumns.joined(separator: ", "))",
                        details: ["column": condition.column.text])
                }
                return (column, condition.value.lowercased())
            }
        }
        var result = ResultSet.Builder(columns: columns)
        if tests.contains(where: { propertyColumns.contains($0.column) }) {
            let summaries = try reader.connections(in: workspace, prefix: "", category: category)
                .filter { connection in
                    tests.allSatisfy { value(of: $0.column, in: connection)?.lowercased() == $0.value }
                }
                .map(ConnectionSummary.init)
            for summary in summaries {
                result.append(summary.name.rawValue)
                appendRow(type: summary.type, enabled: summary.enabled, createdAt: summary.createdAt, to: &result)
            }
        } else if tests.isEmpty {
            // The usual SHOW: each row from the name index entry as it lies in the map; no record is read.
            try reader.forEachListing(in: workspace, prefix: "", category: category, matching: pattern) { listing in
                result.append(utf8: listing.name)
                appendRow(type: listing.type, enabled: listing.enabled, createdAt: listing.createdAt, to: &result)
            }
        } else {
            let summaries = try reader.summaries(in: workspace, prefix: "", category: category, matching: pattern)
                .filter { summary in tests.allSatisfy { value(of: $0.column, in: summary)?.lowercased() == $0.value } }
            for summary in summaries {
                result.append(summary.name.rawValue)
                appendRow(type: summary.type, enabled: summary.enabled, createdAt: summary.createdAt, to: &result)
            }
        }
        return result.result()
    }

    /// The cells of a row after its name.
    private static func appendRow(
        type: ConnectionType, enabled: Bool, createdAt: Int64, to result: inout ResultSet.Builder
    ) {
        result.append(type.category.rawValue)
        result.append(type.rawValue)
        result.append(ValueFormat.enabled(enabled))
        result.append(timestamp: createdAt)
    }

    private static func value(of column: String, in summary: ConnectionSummary) -> String? {
        switch column {
        case "name": summary.name.rawValue
        case "category": summary.category.rawValue
        case "type": summary.type.rawValue
        case "enabled": ValueFormat.enabled(summary.enabled)
        case "creator": summary.creator
        default: nil
        }
    }

    private static func value(of column: String, in connection: Connection) -> String? {
        switch column {
        case "provider": connection.provider?.rawValue ?? connection.properties[.provider]
        case "region": connection.properties[.region]
        default: value(of: column, in: ConnectionSummary(connection))
        }
    }
}
