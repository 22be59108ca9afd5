/// The validated name of a connection: 1 to 255 of `[A-Za-z0-9_]`, stored lower case.
///
/// Two names that differ only in case are the same name, because the stored form is lower case. A leading
/// digit or a word that is a SQL keyword is a valid name (SQL asks for backticks around such a name; that
/// is the SQL layer's rule, not the name's).
public struct ConnectionName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The canonical, lower-case form; this is what is stored and compared.
    public let rawValue: String

    /// Validates `text` and keeps it lower case.
    ///
    /// - Throws: `CatalogError` `.invalidIdentifier` saying which rule `text` breaks.
    public init(_ text: String) throws(CatalogError) {
        rawValue = try Identifier.canonical(text, what: "connection name")
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

    /// Validates `text` and keeps it lower case.
    ///
    /// - Throws: `CatalogError` `.invalidIdentifier` saying which rule `text` breaks.
    public init(_ text: String) throws(CatalogError) {
        rawValue = try Identifier.canonical(text, what: "workspace name")
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
