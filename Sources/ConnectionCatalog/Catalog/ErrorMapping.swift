package import CatalogSealing
package import CatalogStorage

extension CatalogError {
    /// The catalog's error for a storage failure; the storage error stays as `underlying`.
    static func storage(_ error: StorageError, doing what: String) -> CatalogError {
        CatalogError(
            error.kind == .conflict ? .conflict : .ioError, "\(what) failed: \(error.message)",
            details: [
                "storage_code": "\(error.code)", "storage_kind": error.kind.rawValue, "operation": error.operation,
            ],
            underlying: error)
    }

    /// The catalog's error for a sealing failure, keeping its code (`wrong_key`, `integrity_error`, …).
    package static func sealing(_ error: SealingError, doing what: String) -> CatalogError {
        let code: Code
        switch error.code {
        case .wrongKey: code = .wrongKey
        case .integrityError: code = .integrityError
        case .ioError: code = .ioError
        default: code = .invalidValue
        }
        return CatalogError(
            code, "\(what): \(error.message)", details: ["reason": error.reason.rawValue], underlying: error)
    }

    /// Maps a storage or sealing error into the catalog's error type and passes every other error through,
    /// so what a caller's closure throws reaches the caller unchanged.
    static func fromLowerLayer(_ error: any Error, doing what: String) -> any Error {
        switch error {
        case let error as StorageError: CatalogError.storage(error, doing: what)
        case let error as SealingError: CatalogError.sealing(error, doing: what)
        default: error
        }
    }

    /// The catalog's error for what the body of a read, a write or a step threw (or what reached the caller
    /// through it): a catalog error unchanged, a storage or sealing failure mapped, anything else `.aborted`
    /// with that error as `underlying`, so that `read` and `write` throw only `CatalogError`.
    static func fromBody(_ error: any Error, doing what: String) -> CatalogError {
        switch error {
        case let error as CatalogError: error
        case let error as StorageError: .storage(error, doing: what)
        case let error as SealingError: .sealing(error, doing: what)
        default:
            CatalogError(
                .aborted, "\(what) was abandoned: the caller's code threw an error of its own (see `underlying`)",
                underlying: error)
        }
    }

    /// Maps whatever a lower layer threw into the catalog's error type; catalog errors pass through.
    static func wrapping(_ error: any Error, doing what: String) -> CatalogError {
        switch error {
        case let error as CatalogError: error
        case let error as StorageError: .storage(error, doing: what)
        case let error as SealingError: .sealing(error, doing: what)
        default: CatalogError(.ioError, "\(what) failed: \(error)", underlying: error)
        }
    }
}

extension CatalogError: StorageFailureCarrying {
    /// The storage failure this error wraps, which the storage layer looks through when it decides on a retry.
    package var storageFailure: StorageError? { underlying as? StorageError }
}
