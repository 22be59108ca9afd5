/// What both a reader and a writer can look up: the SQL layer runs DESC and SHOW through it, inside a read
/// or inside a write that sees the statements of an open transaction.
public protocol CatalogReading {
    func connection(named name: ConnectionName, in workspace: WorkspaceName) throws -> Connection?
    func connections(in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?) throws -> [Connection]
    /// The connections whose names pass `nameMatches`, which sees each name's lower-case UTF-8 bytes (valid only
    /// during the call) before the record is read, so a selective filter reads few records.
    func connections(
        in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?,
        nameMatches: (UnsafeRawBufferPointer) -> Bool
    ) throws -> [Connection]
    func externalID(of connection: Connection) throws -> String?
    func setting(_ name: String) throws -> String?
}

extension CatalogReader: CatalogReading {}
extension CatalogWriter: CatalogReading {}
