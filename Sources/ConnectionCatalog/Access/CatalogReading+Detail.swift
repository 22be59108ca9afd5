extension CatalogReader {
    /// What DESC shows of the connection named `name`, lent to `body` with its EXTERNAL_ID opened (`nil` when it
    /// has none), borrowed from the stored record; `false` when there is no such connection.
    package func withDetail(
        ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName = .default,
        _ body: (ConnectionDetailView, UnsafeRawBufferPointer?) throws -> Void
    ) throws(CatalogError) -> Bool {
        do {
            switch access {
            case .lmdb(let queries): return try queries.withDetail(ofConnectionNamed: name, in: workspace, body)
            case .store(let queries): return try queries.withDetail(ofConnectionNamed: name, in: workspace, body)
            }
        } catch {
            throw .fromBody(error, doing: "reading the catalog")
        }
    }
}

extension CatalogWriter {
    /// `CatalogReader.withDetail(ofConnectionNamed:in:_:)` as this transaction sees it.
    package func withDetail(
        ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName = .default,
        _ body: (ConnectionDetailView, UnsafeRawBufferPointer?) throws -> Void
    ) throws(CatalogError) -> Bool {
        do { return try queries.withDetail(ofConnectionNamed: name, in: workspace, body) } catch {
            throw .fromBody(error, doing: "writing the catalog")
        }
    }
}
