/// The one error type of the catalog layer: a stable code, a message that says what to do, and the cause.
///
/// The raw values of `Code` are the error codes of DESIGN.md §5, so JSON output built from them is stable.
/// `message` and `details` never contain the value of a sealed property; they may name the property.
/// `description` shows the code and the message only, never `underlying`, so that printing an error cannot
/// leak whatever a lower layer put in its own error.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code such as `invalid_value`.
    ///
    /// Compare codes with `==`; the raw value is what JSON output and other programs see.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// What went wrong and what to do about it, for people.
    public var message: String
    /// Machine-readable context: `property`, `suggestion`, `expected`, `line`, `column`, ….
    public var details: [String: String]
    /// The error this one wraps, if any: the storage or sealing failure it was made from, or, with code
    /// `aborted`, the error the body of a read or a write threw itself. Never printed by `description`.
    public var underlying: (any Error)?

    /// Creates an error with `code` and a `message` that tells the reader what to do.
    package init(_ code: Code, _ message: String, details: [String: String] = [:], underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.underlying = underlying
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension CatalogError.Code {
    /// The statement text could not be parsed.
    package static let syntaxError = Self(rawValue: "syntax_error")
    /// A connection or workspace name breaks the identifier rules.
    package static let invalidIdentifier = Self(rawValue: "invalid_identifier")
    /// A required property (or the other half of a pair) is missing.
    package static let missingProperty = Self(rawValue: "missing_property")
    /// A property key is not known for the connection type.
    package static let unknownProperty = Self(rawValue: "unknown_property")
    /// A property was given twice (counting case and aliases).
    package static let duplicateProperty = Self(rawValue: "duplicate_property")
    /// A property value is malformed or not allowed.
    package static let invalidValue = Self(rawValue: "invalid_value")
    /// An object with that name already exists.
    package static let alreadyExists = Self(rawValue: "already_exists")
    /// No object has that name or id.
    package static let notFound = Self(rawValue: "not_found")
    /// The record changed since the caller read it (optimistic concurrency).
    package static let conflict = Self(rawValue: "conflict")
    /// The request is well formed but not supported.
    package static let unsupported = Self(rawValue: "unsupported")
    /// The master key does not open this catalog.
    package static let wrongKey = Self(rawValue: "wrong_key")
    /// Stored bytes are truncated, garbled or fail their checks.
    package static let integrityError = Self(rawValue: "integrity_error")
    /// The catalog (or a record) was written by a newer program.
    package static let catalogTooNew = Self(rawValue: "catalog_too_new")
    /// The operating system refused a file operation.
    package static let ioError = Self(rawValue: "io_error")

    /// The body of a read, a write or a step threw an error that is not a `CatalogError`; nothing it did was
    /// written, and `underlying` is that error. (A library caller's own reason to stop; SQL never makes it.)
    package static let aborted = Self(rawValue: "aborted")

    /// Every code of DESIGN.md §5, in the order the design lists them.
    package static let allCodes: [Self] = [
        .syntaxError, .invalidIdentifier, .missingProperty, .unknownProperty, .duplicateProperty, .invalidValue,
        .alreadyExists, .notFound, .conflict, .unsupported, .wrongKey, .integrityError, .catalogTooNew, .ioError,
    ]
}
