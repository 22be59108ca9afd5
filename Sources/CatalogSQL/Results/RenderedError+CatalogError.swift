public import ConnectionCatalog

extension RenderedError {
    /// Creates the user-facing form of a catalog error: its code, its message, and its position if it has one.
    ///
    /// The position comes from `details["line"]` and `details["column"]`; a detail that is not a decimal number
    /// is ignored rather than shown. `underlying` is never consulted, so nothing a lower layer said can leak.
    public init(_ error: CatalogError) {
        self.init(
            code: error.code.rawValue,
            message: error.message,
            line: error.details["line"].flatMap { Int($0) },
            column: error.details["column"].flatMap { Int($0) }
        )
    }
}
