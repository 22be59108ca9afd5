internal import ConnectionCatalog

/// SHOW [API | STORAGE] CONNECTIONS [LIKE 'pattern' | WHERE column = '…' AND …]: `name | category | type |
/// enabled | created_time` in name order.
enum ShowResult {
    static let columns = ["name", "category", "type", "enabled", "created_time"]
    /// The columns WHERE may test, compared without case against what SHOW and DESC display.
    static let filterColumns = ["name", "category", "type", "enabled", "creator", "provider", "region"]

    static func make(for show: ShowConnections, in workspace: WorkspaceName, reader: some CatalogReading) throws
        -> ResultSet
    {
        let category: ConnectionCategory? = show.category.map { $0 == .api ? .api : .storage }
        var prefix = ""
        var matches: (Connection) -> Bool = { _ in true }
        switch show.filter {
        case .none:
            break
        case .like(let pattern):
            let like = LikePattern(pattern)
            prefix = like.literalPrefix
            matches = { like.matches($0.name.rawValue) }
        case .where(let conditions):
            let tests = try conditions.map { condition in
                let column = condition.column.text.lowercased()
                guard filterColumns.contains(column) else {
                    throw CatalogError(
                        .invalidValue,
                        "SHOW cannot filter on '\(condition.column.text)'; use one of \(filterColumns.joined(separator: ", "))",
                        details: ["column": condition.column.text])
                }
                return (column, condition.value.lowercased())
            }
            matches = { connection in tests.allSatisfy { value(of: $0.0, in: connection)?.lowercased() == $0.1 } }
        }
        let rows: [[String?]] = try reader.connections(in: workspace, prefix: prefix, category: category)
            .filter(matches)
            .map { connection in
                [
                    connection.name.rawValue, connection.category.rawValue, connection.type.rawValue,
                    ValueFormat.enabled(connection.enabled),
                    ValueFormat.timestamp(millisecondsSinceEpoch: connection.createdAt),
                ]
            }
        return ResultSet(columns: columns, rows: rows)
    }

    private static func value(of column: String, in connection: Connection) -> String? {
        switch column {
        case "name": connection.name.rawValue
        case "category": connection.category.rawValue
        case "type": connection.type.rawValue
        case "enabled": ValueFormat.enabled(connection.enabled)
        case "creator": connection.creator
        case "provider": connection.properties[.provider] ?? connection.type.impliedProvider?.rawValue
        case "region": connection.properties[.region]
        default: nil
        }
    }
}

/// A SQL LIKE pattern: `%` any run of characters, `_` one character, `\` escapes the next; without case.
struct LikePattern {
    private enum Element: Equatable {
        case literal(Character)
        case one
        case any
    }

    private let elements: [Element]

    init(_ pattern: String) {
        var elements: [Element] = []
        var escaped = false
        for character in pattern.lowercased() {
            if escaped {
                elements.append(.literal(character))
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "%" {
                if elements.last != .any { elements.append(.any) }
            } else if character == "_" {
                elements.append(.one)
            } else {
                elements.append(.literal(character))
            }
        }
        if escaped { elements.append(.literal("\\")) }
        self.elements = elements
    }

    /// The literal characters before the first wildcard: names are lower case, so the name index can be
    /// scanned from this prefix only.
    var literalPrefix: String {
        var prefix = ""
        for element in elements {
            guard case .literal(let character) = element else { break }
            prefix.append(character)
        }
        return prefix
    }

    func matches(_ text: String) -> Bool {
        let characters = Array(text.lowercased())
        // Iterative matching with backtracking to the last `%`: linear in practice, no recursion.
        var textIndex = 0
        var patternIndex = 0
        var starPattern = -1
        var starText = 0
        while textIndex < characters.count {
            if patternIndex < elements.count {
                switch elements[patternIndex] {
                case .any:
                    starPattern = patternIndex
                    starText = textIndex
                    patternIndex += 1
                    continue
                case .one:
                    textIndex += 1
                    patternIndex += 1
                    continue
                case .literal(let character) where character == characters[textIndex]:
                    textIndex += 1
                    patternIndex += 1
                    continue
                default:
                    break
                }
            }
            guard starPattern >= 0 else { return false }
            patternIndex = starPattern + 1
            starText += 1
            textIndex = starText
        }
        while patternIndex < elements.count, elements[patternIndex] == .any { patternIndex += 1 }
        return patternIndex == elements.count
    }
}
