/// An error of a layer above storage that was made from a storage failure and keeps it, so that storage's own
/// decisions about what a body threw (a store that is unavailable is not asked again) still see the failure.
package protocol StorageFailureCarrying: Error {
    /// The storage failure this error was made from, if any.
    var storageFailure: StorageError? { get }
}

extension StorageError {
    /// `error` itself when it is a storage failure, or the one an error of a layer above carries.
    package static func carried(by error: any Error) -> StorageError? {
        (error as? StorageError) ?? (error as? any StorageFailureCarrying)?.storageFailure
    }
}
