/// One parsed SQL statement of the connection dialect (DESIGN.md §5).
///
/// The tree keeps text as written (names, type names, property keys) together with where it was
/// written, and leaves every semantic check (is `OSS` a type, is `PROVIDER` a property of it, is a
/// name valid) to the catalog layer, which can then point at the offending token. Property values
/// may be secrets: log or echo a statement only through `redacted(isSecret:)`, and note that
/// `description` already applies `RedactionPolicy.conservative`.
public enum Statement: Hashable, Sendable {
    /// `CREATE {API | STORAGE} CONNECTION …`.
    case createConnection(CreateConnection)
    /// `{DESC | DESCRIBE} CONNECTION [EXTENDED] name`.
    case describeConnection(DescribeConnection)
    /// `SHOW [API | STORAGE] CONNECTIONS [LIKE '…' | WHERE column = '…' [AND …]]`.
    case showConnections(ShowConnections)
    /// `SHOW CONNECTION HISTORY name`: one row per version of the connection.
    case showConnectionHistory(ShowConnectionHistory)
    /// `DROP CONNECTION [IF EXISTS] name`.
    case dropConnection(DropConnection)
    /// `ALTER CONNECTION [IF EXISTS] name …`.
    case alterConnection(AlterConnection)
    /// `BEGIN [TRANSACTION]`.
    case begin
    /// `COMMIT [TRANSACTION]`.
    case commit
    /// `ROLLBACK [TRANSACTION]`.
    case rollback
}

/// The category a connection belongs to, which decides the types it may have.
public enum StatementCategory: String, Hashable, Sendable, CaseIterable {
    case api = "API"
    case storage = "STORAGE"
}

/// A name as written: its text, whether it was in backticks, and where it was.
///
/// The text is kept exactly (not lower-cased) so the catalog layer can validate it and report it;
/// a quoted name may hold anything the lexer accepted, including a keyword or a leading digit.
public struct SQLIdentifier: Hashable, Sendable {
    /// The name without backticks, with doubled backticks undone.
    public var text: String
    /// Whether the name was written in backticks.
    public var isQuoted: Bool
    /// Where the name was written.
    public var position: SourceRange

    public init(_ text: String, isQuoted: Bool = false, position: SourceRange = .unknown) {
        self.text = text
        self.isQuoted = isQuoted
        self.position = position
    }
}

/// One `key = 'value'` of a CREATE or ALTER … SET.
///
/// The value may be a secret, so it is an `SQLStringValue`, in storage wiped when the statement goes, and
/// `description` and the mirror hide values that `RedactionPolicy.conservative` considers secret; use
/// `Statement.redacted(isSecret:)` for the catalog's exact rule.
public struct PropertyAssignment: Hashable, Sendable {
    /// The key as written, without quotes (`PROVIDER`, `cloud_function.provider`).
    public var key: String
    /// Where the key was written.
    public var keyPosition: SourceRange
    /// The value's decoded text, in wiped storage.
    public var value: SQLStringValue
    /// Where the value was written.
    public var valuePosition: SourceRange

    public init(
        key: String, keyPosition: SourceRange = .unknown, value: SQLStringValue, valuePosition: SourceRange = .unknown
    ) {
        self.key = key
        self.keyPosition = keyPosition
        self.value = value
        self.valuePosition = valuePosition
    }

    /// An assignment of `value`, copied into wiped storage (the `String` itself is the caller's).
    public init(key: String, keyPosition: SourceRange = .unknown, value: String, valuePosition: SourceRange = .unknown)
    {
        self.init(key: key, keyPosition: keyPosition, value: SQLStringValue(value), valuePosition: valuePosition)
    }
}

/// A property key named without a value, as in `ALTER CONNECTION … UNSET key`.
public struct PropertyName: Hashable, Sendable {
    /// The key as written, without quotes.
    public var key: String
    /// Where the key was written.
    public var position: SourceRange

    public init(_ key: String, position: SourceRange = .unknown) {
        self.key = key
        self.position = position
    }
}

/// `CREATE {API | STORAGE} CONNECTION [IF NOT EXISTS] name TYPE [=] type …`.
public struct CreateConnection: Hashable, Sendable {
    /// How the properties were written; kept so the statement renders back in the user's form.
    public enum PropertySyntax: Hashable, Sendable {
        /// `KEY = 'value' KEY = 'value' …` after the type.
        case assignments
        /// `WITH PROPERTIES ('key' = 'value', …)`.
        case withProperties
    }

    public var category: StatementCategory
    public var ifNotExists: Bool
    public var name: SQLIdentifier
    /// The type as written (`CLOUD_FUNCTION`, `oss`); the catalog decides whether it exists.
    public var typeName: SQLIdentifier
    /// The properties in the order written; duplicates are kept for the catalog to report.
    public var properties: [PropertyAssignment]
    public var propertySyntax: PropertySyntax
    /// The text of `COMMENT [=] '…'` or `COMMENTS = '…'`, if any.
    public var comment: String?

    public init(
        category: StatementCategory, ifNotExists: Bool = false, name: SQLIdentifier, typeName: SQLIdentifier,
        properties: [PropertyAssignment], propertySyntax: PropertySyntax = .assignments, comment: String? = nil
    ) {
        self.category = category
        self.ifNotExists = ifNotExists
        self.name = name
        self.typeName = typeName
        self.properties = properties
        self.propertySyntax = propertySyntax
        self.comment = comment
    }
}

/// `{DESC | DESCRIBE} CONNECTION [EXTENDED] name [AS OF VERSION n]`.
public struct DescribeConnection: Hashable, Sendable {
    public var name: SQLIdentifier
    /// Whether EXTENDED asked for the trust policy document too.
    public var extended: Bool
    /// The version asked for with `AS OF VERSION n`; `nil` for the current one.
    public var version: UInt64?
    /// Where the version number was written.
    public var versionPosition: SourceRange

    public init(
        name: SQLIdentifier, extended: Bool = false, version: UInt64? = nil, versionPosition: SourceRange = .unknown
    ) {
        self.name = name
        self.extended = extended
        self.version = version
        self.versionPosition = versionPosition
    }
}

/// `SHOW CONNECTION HISTORY name`. `HISTORY` is not reserved: it is read as a word only here.
public struct ShowConnectionHistory: Hashable, Sendable {
    public var name: SQLIdentifier

    public init(name: SQLIdentifier) { self.name = name }
}

/// `SHOW [API | STORAGE] CONNECTIONS [LIKE '…' | WHERE …]`.
public struct ShowConnections: Hashable, Sendable {
    /// Which rows to keep.
    public enum Filter: Hashable, Sendable {
        /// Every connection of the category.
        case none
        /// Names matching a pattern with `%` and `_`, compared without case.
        case like(String)
        /// Rows where every `column = 'value'` holds.
        case `where`([ShowCondition])
    }

    /// The category to list, or `nil` for both.
    public var category: StatementCategory?
    public var filter: Filter

    public init(category: StatementCategory? = nil, filter: Filter = .none) {
        self.category = category
        self.filter = filter
    }
}

/// One `column = 'value'` of SHOW … WHERE; the column is checked against the result's columns later.
public struct ShowCondition: Hashable, Sendable {
    public var column: SQLIdentifier
    public var value: String
    public var valuePosition: SourceRange

    public init(column: SQLIdentifier, value: String, valuePosition: SourceRange = .unknown) {
        self.column = column
        self.value = value
        self.valuePosition = valuePosition
    }
}

/// `DROP CONNECTION [IF EXISTS] name`.
public struct DropConnection: Hashable, Sendable {
    public var name: SQLIdentifier
    public var ifExists: Bool

    public init(name: SQLIdentifier, ifExists: Bool = false) {
        self.name = name
        self.ifExists = ifExists
    }
}

/// `ALTER CONNECTION [IF EXISTS] name action`.
public struct AlterConnection: Hashable, Sendable {
    /// What the ALTER changes.
    public enum Action: Hashable, Sendable {
        /// `SET key = '…' [, …]`; the connection's type is not in the statement.
        case set([PropertyAssignment])
        /// `UNSET key [, …]`.
        case unset([PropertyName])
        /// `SET COMMENT = '…'`.
        case setComment(String)
        /// `RENAME TO new_name`.
        case rename(SQLIdentifier)
        /// `ENABLE`.
        case enable
        /// `DISABLE`.
        case disable
        /// `ROTATE EXTERNAL_ID`.
        case rotateExternalID
    }

    public var name: SQLIdentifier
    public var ifExists: Bool
    public var action: Action

    public init(name: SQLIdentifier, ifExists: Bool = false, action: Action) {
        self.name = name
        self.ifExists = ifExists
        self.action = action
    }
}

/// A statement together with where it was written in a script.
public struct ParsedStatement: Hashable, Sendable {
    public var statement: Statement
    /// From the statement's first token to its last, excluding the `;`.
    public var range: SourceRange

    /// The 1-based line where the statement starts.
    public var line: Int { range.line }
    /// The 1-based column where the statement starts.
    public var column: Int { range.column }

    public init(statement: Statement, range: SourceRange) {
        self.statement = statement
        self.range = range
    }
}
