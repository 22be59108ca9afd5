/// The validated name of a connection: 1 to 255 of `[A-Za-z0-9_]`, stored lower case.
///
/// Two names that differ only in case are the same name, because the stored form is lower case.
/// Unquoted input must also start with a letter or underscore and must not be a reserved word;
/// backtick-quoted input (`quoted: true`) may do either, but may never contain hyphens, spaces or other
/// characters.
public struct ConnectionName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The canonical, lower-case form; this is what is stored and compared.
    public let rawValue: String

    /// Validates `text` as typed; pass `quoted: true` when the user wrote it in backticks (without them).
    ///
    /// - Throws: `CatalogError` `.invalidIdentifier` saying which rule `text` breaks.
    public init(_ text: String, quoted: Bool = false) throws(CatalogError) {
        rawValue = try Identifier.canonical(text, quoted: quoted, what: "connection name")
    }

    /// A name read from a record or key that `Identifier.isStoredForm` has accepted: only its case is made
    /// canonical.
    init(storedForm text: String) {
        rawValue = ASCII.lowercased(text)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    public var description: String { rawValue }
}

/// The validated name of a workspace: the same rules as `ConnectionName`; the default is `default`.
public struct WorkspaceName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The canonical, lower-case form; this is what is stored and compared.
    public let rawValue: String

    /// The workspace a connection belongs to when none is named.
    public static let `default` = WorkspaceName(trusted: "default")

    /// Validates `text` as typed; pass `quoted: true` when the user wrote it in backticks (without them).
    ///
    /// - Throws: `CatalogError` `.invalidIdentifier` saying which rule `text` breaks.
    public init(_ text: String, quoted: Bool = false) throws(CatalogError) {
        rawValue = try Identifier.canonical(text, quoted: quoted, what: "workspace name")
    }

    private init(trusted: String) {
        rawValue = trusted
    }

    /// A name read from a record or key that `Identifier.isStoredForm` has accepted: only its case is made
    /// canonical.
    init(storedForm text: String) {
        rawValue = ASCII.lowercased(text)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    public var description: String { rawValue }
}
