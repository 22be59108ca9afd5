import CatalogSQL
import ConnectionCatalog

/// What Tab does with the word before the cursor: text to insert, or, when that is ambiguous, the candidates.
struct Completion: Equatable {
    var insertion: String
    var candidates: [String]
}

/// Tab completion for the shell: keywords, connection names where a name goes (after DESC, DROP or ALTER
/// CONNECTION, EXTENDED, HISTORY, IF EXISTS), the property keys of the type being created, SHOW columns after
/// WHERE and AND, type names after TYPE, and meta-commands after `\`.
///
/// It looks only at the words of the statement being typed; a word is completed in the case it is typed in.
struct Completer {
    /// The connection names of the catalog, as the session sees them (`SHOW CONNECTIONS`).
    let connectionNames: () -> [String]

    static let metaCommands = [
        "\\?", "\\h", "\\q", "\\x", "\\format", "\\timing", "\\i", "\\conninfo", "\\pset",
    ]
    static let showColumns = ["name", "category", "type", "enabled", "created_time"]
    static let keywords = Keyword.allCases.map(\.rawValue) + ["HISTORY", "AS", "OF", "VERSION", "EXTERNAL_ID"]

    /// Completes the last word of `text` (everything typed so far, up to the cursor).
    func complete(_ text: String) -> Completion {
        let statement = text.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? text
        let wordCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.\\")
        let prefix = String(statement.reversed().prefix(while: wordCharacters.contains).reversed())
        let before = statement.dropLast(prefix.count)
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "," || $0 == "(" })
            .map { $0.uppercased() }
        let options = candidates(
            after: words, endsWithEquals: before.trimmingTrailingSpaces.hasSuffix("="), prefix: prefix)
        let matches = Array(Set(options.filter { $0.uppercased().hasPrefix(prefix.uppercased()) })).sorted()
        guard !matches.isEmpty else { return Completion(insertion: "", candidates: []) }
        let lowercase = !prefix.isEmpty && prefix == prefix.lowercased() && prefix != prefix.uppercased()
        let shown = matches.map { Self.keywords.contains($0) && lowercase ? $0.lowercased() : $0 }
        if shown.count == 1 {
            return Completion(insertion: String(shown[0].dropFirst(prefix.count)) + " ", candidates: shown)
        }
        let common = shown.dropFirst().reduce(shown[0]) { common, next in
            String(zip(common, next).prefix(while: { $0.lowercased() == $1.lowercased() }).map(\.0))
        }
        return Completion(insertion: String(common.dropFirst(prefix.count)), candidates: shown)
    }

    private func candidates(after words: [String], endsWithEquals: Bool, prefix: String) -> [String] {
        if words.isEmpty && prefix.hasPrefix("\\") { return Self.metaCommands }
        if words.last == "TYPE" || (words.last == "=" && words.dropLast().last == "TYPE") {
            return ConnectionType.allCases.map(\.rawValue)
        }
        guard !endsWithEquals else { return [] }  // a value goes here: nothing to guess
        let first = words.first ?? ""
        let last = words.last ?? ""
        let namesHere =
            (last == "CONNECTION" && ["DESC", "DESCRIBE", "DROP", "ALTER"].contains(first))
            || last == "EXTENDED" || last == "HISTORY" || (last == "EXISTS" && first != "CREATE")
        if namesHere {
            var names = connectionNames()
            if last == "CONNECTION" { names += first == "DESC" || first == "DESCRIBE" ? ["EXTENDED"] : ["IF"] }
            if last == "CONNECTION" && first == "SHOW" { names = ["HISTORY"] }
            return names
        }
        if first == "SHOW" && (last == "WHERE" || last == "AND") { return Self.showColumns }
        if first == "CREATE", let index = words.lastIndex(of: "TYPE"), index + 1 < words.count {
            let typeWord = words[index + 1] == "=" && index + 2 < words.count ? words[index + 2] : words[index + 1]
            if let type = ConnectionType(parsing: typeWord) {
                let schema = PropertySchema.schema(for: type)
                return schema.keys.filter { !schema.generated.contains($0) }.map(\.rawValue) + ["COMMENT", "WITH"]
            }
        }
        if first == "ALTER" && (last == "SET" || last == "UNSET") { return allPropertyKeys + ["COMMENT"] }
        return Self.keywords
    }

    private var allPropertyKeys: [String] {
        ConnectionType.allCases.flatMap { type in
            let schema = PropertySchema.schema(for: type)
            return schema.keys.filter { !schema.generated.contains($0) }.map(\.rawValue)
        }
    }
}

extension Substring {
    fileprivate var trimmingTrailingSpaces: Substring {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\n" { text.removeLast() }
        return text
    }
}
