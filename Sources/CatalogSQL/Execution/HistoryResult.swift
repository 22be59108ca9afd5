internal import ConnectionCatalog

/// SHOW CONNECTION HISTORY: one row per version, oldest first: `version | changed_time | change |
/// changed_properties`. A change is told from the difference to the version before it; changed properties are
/// named by key, never by value (a sealed one changed is named like any other, its value never shown).
enum HistoryResult {
    static let columns = ["version", "changed_time", "change", "changed_properties"]

    static func make(versions: [Connection]) -> ResultSet {
        var rows: [[String?]] = []
        var previous: Connection?
        for version in versions.sorted(by: { $0.version < $1.version }) {
            let (change, keys) = previous.map { describeChange(from: $0, to: version) } ?? ("create", [])
            rows.append([
                "\(version.version)",
                ValueFormat.timestamp(millisecondsSinceEpoch: previous == nil ? version.createdAt : version.modifiedAt),
                change,
                keys.isEmpty ? nil : keys.joined(separator: ", "),
            ])
            previous = version
        }
        return ResultSet(columns: columns, rows: rows)
    }

    /// The kind of change from `old` to `new` and the keys it touched, in key order (`comment` last).
    private static func describeChange(from old: Connection, to new: Connection) -> (String, [String]) {
        if old.name != new.name { return ("rename", ["name"]) }
        if old.enabled != new.enabled { return (new.enabled ? "enable" : "disable", []) }
        let rotated = old.sealedFields[.externalID] != new.sealedFields[.externalID]
        var keys = Set(old.properties.keys).union(new.properties.keys).filter {
            old.properties[$0] != new.properties[$0]
        }
        for key in Set(old.sealedFields.keys).union(new.sealedFields.keys) where key != .externalID {
            if old.sealedFields[key] != new.sealedFields[key] { keys.insert(key) }
        }
        var named = keys.sorted().map(\.rawValue)
        if old.comment != new.comment { named.append("comment") }
        if rotated && named.isEmpty { return ("rotate", [PropertyKey.externalID.rawValue]) }
        return ("alter", named)
    }
}
