/// What both a reader and a writer can look up: the SQL layer runs DESC and SHOW through it, inside a read
/// or inside a write that sees the statements of an open transaction.
package protocol CatalogReading {
    func connection(named name: ConnectionName, in workspace: WorkspaceName) throws -> Connection?
    func connections(in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?) throws -> [Connection]
    /// What a listing shows of the connections whose names start with `prefix` and match `pattern` (all, with
    /// `nil`), in name order, without decoding their properties.
    func summaries(
        in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?, matching pattern: NamePattern?
    ) throws -> [ConnectionSummary]
    /// What SHOW lists of the connections `summaries(in:prefix:category:matching:)` returns, each lent to `body`
    /// in the same order, read from the name index alone where its entries carry it (schema 4): no record is
    /// looked up and nothing is copied per row.
    func forEachListing(
        in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?, matching pattern: NamePattern?,
        _ body: (ConnectionListingView) throws -> Void
    ) throws
    func externalID(of connection: Connection) throws -> String?
    /// Lends `body` what DESC shows of the connection named `name`, borrowed from its stored record, and its
    /// EXTERNAL_ID opened (`nil` when it has none); `false` when there is no such connection.
    func withDetail(
        ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName,
        _ body: (ConnectionDetailView, UnsafeRawBufferPointer?) throws -> Void
    ) throws -> Bool
    /// The earlier versions of the connection with id `id`, oldest first (the current one is not included).
    func history(of id: ConnectionID) throws -> [Connection]
    func setting(_ name: String) throws -> String?
}

extension CatalogReader: CatalogReading {}
extension CatalogWriter: CatalogReading {}
