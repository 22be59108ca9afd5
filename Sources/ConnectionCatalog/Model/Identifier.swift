/// The identifier rules shared by connection and workspace names.
///
/// Unquoted: `[A-Za-z_][A-Za-z0-9_]*`, not a reserved word. Backtick-quoted: `[A-Za-z0-9_]+`, so a
/// leading digit or a reserved word is fine, but hyphens, spaces, dots and non-ASCII characters never are
/// (they would make names ambiguous in key layouts, file names and shell use). Both forms are 1 to 255
/// characters and stored lower case, which makes comparison case-insensitive.
enum Identifier {
    static let maximumLength = 255

    /// The validated, lower-cased form of `text`.
    ///
    /// - Throws: `CatalogError` `.invalidIdentifier` naming the rule that `text` breaks; `what` names the
    ///   kind of object ("connection name") in the message.
    static func canonical(_ text: String, quoted: Bool, what: String) throws(CatalogError) -> String {
        let bytes = text.utf8
        // Formatted only for a message: names are checked on every lookup and decode.
        func shown() -> String { quoted ? "`\(text)`" : "'\(text)'" }
        guard !bytes.isEmpty else {
            throw CatalogError(.invalidIdentifier, "\(what) must not be empty", details: ["kind": what])
        }
        guard bytes.count <= maximumLength else {
            throw CatalogError(
                .invalidIdentifier,
                "\(what) is \(bytes.count) characters long; use at most \(maximumLength)",
                details: ["kind": what, "length": String(bytes.count)])
        }
        guard !ASCII.anyByte(of: text, { !(ASCII.isAlnum($0) || $0 == UInt8(ascii: "_")) }) else {
            throw CatalogError(
                .invalidIdentifier,
                "\(what) \(shown()) may contain only letters, digits and underscores"
                    + " (not hyphens, spaces or other characters, even in backticks)",
                details: ["kind": what, "name": text])
        }
        if !quoted {
            if ASCII.isDigit(bytes.first!) {
                throw CatalogError(
                    .invalidIdentifier,
                    "\(what) \(shown()) starts with a digit; start it with a letter or underscore,"
                        + " or quote it in backticks (`\(text)`)",
                    details: ["kind": what, "name": text])
            }
            if ReservedWords.contains(text) {
                throw CatalogError(
                    .invalidIdentifier,
                    "\(what) \(shown()) is a reserved word; quote it in backticks (`\(text)`) or choose another name",
                    details: ["kind": what, "name": text])
            }
        }
        return ASCII.lowercased(text)
    }

    /// Whether `bytes` pass the rules of the quoted form (which every stored name does), checked on the bytes:
    /// 1 to 255 ASCII letters, digits and underscores.
    static func isStoredForm(_ bytes: UnsafeRawBufferPointer) -> Bool {
        (1...maximumLength).contains(bytes.count) && !bytes.contains { !(ASCII.isAlnum($0) || $0 == UInt8(ascii: "_")) }
    }
}

/// The words an unquoted name may not be: every keyword of the statement grammar (DESIGN.md §5).
///
/// A name equal to one of these would make statements such as `DROP CONNECTION if exists` ambiguous,
/// so it needs backticks. The SQL layer uses the same list for its lexer.
public enum ReservedWords {
    /// The reserved words, upper case.
    public static let all: Set<String> = [
        "ALTER", "AND", "API", "BEGIN", "COMMENT", "COMMENTS", "COMMIT", "CONNECTION", "CONNECTIONS", "CREATE",
        "DESC", "DESCRIBE", "DISABLE", "DROP", "ENABLE", "EXISTS", "EXTENDED", "IF", "LIKE", "NOT", "PROPERTIES",
        "RENAME", "ROLLBACK", "ROTATE", "SET", "SHOW", "STORAGE", "TO", "TYPE", "UNSET", "WHERE", "WITH",
    ]

    /// Whether `word` is reserved, in any case.
    public static func contains(_ word: String) -> Bool {
        word.utf8.count <= 11 && all.contains(ASCII.uppercased(word))
    }
}
