/// Pattern matching on codes, so that a caller can write `catch CatalogError.notFound { … }` (or match a code
/// in a `switch` over any error) instead of catching, casting and comparing `code`.
extension CatalogError.Code {
    /// Whether `error` is a `CatalogError` with `code`.
    public static func ~= (code: Self, error: any Error) -> Bool {
        (error as? CatalogError)?.code == code
    }
}

extension CatalogError {
    /// `Code.syntaxError`, for `catch CatalogError.syntaxError`.
    public static var syntaxError: Code { .syntaxError }
    /// `Code.invalidIdentifier`, for `catch CatalogError.invalidIdentifier`.
    public static var invalidIdentifier: Code { .invalidIdentifier }
    /// `Code.missingProperty`, for `catch CatalogError.missingProperty`.
    public static var missingProperty: Code { .missingProperty }
    /// `Code.unknownProperty`, for `catch CatalogError.unknownProperty`.
    public static var unknownProperty: Code { .unknownProperty }
    /// `Code.duplicateProperty`, for `catch CatalogError.duplicateProperty`.
    public static var duplicateProperty: Code { .duplicateProperty }
    /// `Code.invalidValue`, for `catch CatalogError.invalidValue`.
    public static var invalidValue: Code { .invalidValue }
    /// `Code.alreadyExists`, for `catch CatalogError.alreadyExists`.
    public static var alreadyExists: Code { .alreadyExists }
    /// `Code.notFound`, for `catch CatalogError.notFound`.
    public static var notFound: Code { .notFound }
    /// `Code.conflict`, for `catch CatalogError.conflict`.
    public static var conflict: Code { .conflict }
    /// `Code.unsupported`, for `catch CatalogError.unsupported`.
    public static var unsupported: Code { .unsupported }
    /// `Code.wrongKey`, for `catch CatalogError.wrongKey`.
    public static var wrongKey: Code { .wrongKey }
    /// `Code.integrityError`, for `catch CatalogError.integrityError`.
    public static var integrityError: Code { .integrityError }
    /// `Code.catalogTooNew`, for `catch CatalogError.catalogTooNew`.
    public static var catalogTooNew: Code { .catalogTooNew }
    /// `Code.ioError`, for `catch CatalogError.ioError`.
    public static var ioError: Code { .ioError }
    /// `Code.aborted`, for `catch CatalogError.aborted`.
    public static var aborted: Code { .aborted }
}

extension CatalogError {
    /// The error for a connection that does not exist: code `not_found`, details `name` and `workspace`.
    package static func connectionNotFound(_ name: ConnectionName, in workspace: WorkspaceName) -> CatalogError {
        CatalogError(
            .notFound, "connection '\(name)' does not exist in workspace '\(workspace)'",
            details: ["name": name.rawValue, "workspace": workspace.rawValue])
    }

    /// Whether this is `connectionNotFound(name, in: workspace)`.
    package func isConnectionNotFound(_ name: ConnectionName, in workspace: WorkspaceName) -> Bool {
        code == .notFound && details["name"] == name.rawValue && details["workspace"] == workspace.rawValue
    }
}
