extension CatalogReader {
    /// What a listing shows of the connections `summaries(in:prefix:category:matching:)` returns, each lent to
    /// `body` in name order, borrowed from its stored record.
    package func forEachSummary(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil,
        matching pattern: NamePattern? = nil, _ body: (ConnectionSummaryView) throws -> Void
    ) throws {
        switch access {
        case .lmdb(let queries):
            try queries.forEachSummary(in: workspace, prefix: prefix, category: category, matching: pattern, body)
        case .store(let queries):
            try queries.forEachSummary(in: workspace, prefix: prefix, category: category, matching: pattern, body)
        }
    }
}

extension CatalogWriter {
    /// What a listing shows of the connections `summaries(in:prefix:category:matching:)` returns, each lent to
    /// `body` in name order, borrowed from its stored record, as this transaction sees it.
    package func forEachSummary(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil,
        matching pattern: NamePattern? = nil, _ body: (ConnectionSummaryView) throws -> Void
    ) throws {
        try queries.forEachSummary(in: workspace, prefix: prefix, category: category, matching: pattern, body)
    }
}
