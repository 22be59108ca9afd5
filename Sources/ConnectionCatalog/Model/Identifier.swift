/// The identifier rules shared by connection and workspace names: 1 to 255 ASCII letters, digits and
/// underscores, stored lower case, which makes comparison case-insensitive. Hyphens, spaces, dots and
/// non-ASCII characters never are allowed: they would make names ambiguous in key layouts, file names and
/// shell use.
///
/// These are the rules of the stored name only. How a name is written in a language (SQL's unquoted words
/// start with a letter and are not keywords, backticks lift that) is the language's business.
enum Identifier {
    static let maximumLength = 255

    /// The validated, lower-cased form of `text`.
    ///
    /// - Throws: `CatalogError` `.invalidIdentifier` naming the rule that `text` breaks (details `kind`,
    ///   `rule` = `empty` / `too_long` / `characters`); `what` names the kind of object ("connection name").
    static func canonical(_ text: String, what: String) throws(CatalogError) -> String {
        let bytes = text.utf8
        guard !bytes.isEmpty else {
            throw CatalogError(
                .invalidIdentifier, "\(what) must not be empty", details: ["kind": what, "rule": "empty"])
        }
        guard bytes.count <= maximumLength else {
            throw CatalogError(
                .invalidIdentifier,
                "\(what) is \(bytes.count) characters long; use at most \(maximumLength)",
                details: ["kind": what, "rule": "too_long", "length": String(bytes.count)])
        }
        guard !ASCII.anyByte(of: text, { !(ASCII.isAlnum($0) || $0 == UInt8(ascii: "_")) }) else {
            throw CatalogError(
                .invalidIdentifier,
                "\(what) '\(text)' may contain only ASCII letters, digits and underscores"
                    + " (not hyphens, spaces, dots or other characters)",
                details: ["kind": what, "rule": "characters", "name": text])
        }
        return ASCII.lowercased(text)
    }

    /// Whether `bytes` pass the rules (which every stored name does), checked on the bytes.
    static func isStoredForm(_ bytes: UnsafeRawBufferPointer) -> Bool {
        (1...maximumLength).contains(bytes.count) && !bytes.contains { !(ASCII.isAlnum($0) || $0 == UInt8(ascii: "_")) }
    }
}
