extension CatalogReader {
    /// What SHOW lists of the connections `summaries(in:prefix:category:matching:)` returns, in the same order,
    /// from the name index alone where its entries carry it.
    package func forEachListing(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil,
        matching pattern: NamePattern? = nil, _ body: (ConnectionListingView) throws -> Void
    ) throws {
        switch access {
        case .lmdb(let queries):
            try queries.forEachListing(in: workspace, prefix: prefix, category: category, matching: pattern, body)
        case .store(let queries):
            try queries.forEachListing(in: workspace, prefix: prefix, category: category, matching: pattern, body)
        }
    }
}

extension CatalogWriter {
    /// What SHOW lists of the connections `summaries(in:prefix:category:matching:)` returns, in the same order,
    /// from the name index alone where its entries carry it, as this transaction sees it.
    package func forEachListing(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil,
        matching pattern: NamePattern? = nil, _ body: (ConnectionListingView) throws -> Void
    ) throws {
        try queries.forEachListing(in: workspace, prefix: prefix, category: category, matching: pattern, body)
    }
}
