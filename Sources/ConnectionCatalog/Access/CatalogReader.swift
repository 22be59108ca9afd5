internal import CatalogStorage

/// Read access to one snapshot of the catalog, lent by `Catalog.read`. Not `Sendable`; use it only inside
/// the closure that received it.
public struct CatalogReader {
    /// The lookups, specialised for LMDB's snapshot, or over another store's snapshot through the protocol.
    /// One switch per call keeps the LMDB path exactly as specialised as it was.
    enum Access {
        case lmdb(Queries<ReadTransaction>)
        case store(Queries<AnyStorageReading>)
    }

    let access: Access

    init(tx: ReadTransaction, catalog: Catalog) { access = .lmdb(Queries(tx: tx, catalog: catalog)) }

    init(store snapshot: AnyStorageReading, catalog: Catalog) {
        access = .store(Queries(tx: snapshot, catalog: catalog))
    }

    /// The connection named `name` in `workspace`, or `nil`.
    public func connection(
        named name: ConnectionName, in workspace: WorkspaceName = .default
    ) throws(CatalogError) -> Connection? {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.connection(named: name, in: workspace)
            case .store(let queries): try queries.connection(named: name, in: workspace)
            }
        }
    }

    /// The connection with id `id`, or `nil`.
    package func connection(id: ConnectionID) throws(CatalogError) -> Connection? {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.connection(id: id)
            case .store(let queries): try queries.connection(id: id)
            }
        }
    }

    /// The connections of `workspace` whose names start with `prefix` (without case), in name order,
    /// optionally only those of one category.
    public func connections(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil
    ) throws(CatalogError) -> [Connection] {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.list(in: workspace, prefix: prefix, category: category)
            case .store(let queries): try queries.list(in: workspace, prefix: prefix, category: category)
            }
        }
    }

    /// What a listing shows of the connections of `workspace` whose names pass `nameMatches` (given each
    /// name's lower-case UTF-8 bytes before the record is read; `nil` takes all), in name order, without
    /// decoding their properties.
    package func summaries(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil,
        matching pattern: NamePattern? = nil
    ) throws(CatalogError) -> [ConnectionSummary] {
        try reading {
            switch access {
            case .lmdb(let queries):
                try queries.summaries(in: workspace, prefix: prefix, category: category, matching: pattern)
            case .store(let queries):
                try queries.summaries(in: workspace, prefix: prefix, category: category, matching: pattern)
            }
        }
    }

    /// The number of connections in every workspace.
    public func count() throws(CatalogError) -> Int {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.count()
            case .store(let queries): try queries.count()
            }
        }
    }

    /// The earlier versions of the connection with id `id`, oldest first (the current one is not included).
    public func history(of id: ConnectionID) throws(CatalogError) -> [Connection] {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.history(of: id)
            case .store(let queries): try queries.history(of: id)
            }
        }
    }

    /// The connection's external ID in full (DESC shows it: the user pastes it into the cloud role's trust policy).
    public func externalID(of connection: Connection) throws(CatalogError) -> String? {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.externalID(of: connection)
            case .store(let queries): try queries.externalID(of: connection)
            }
        }
    }

    /// The external ID of the connection named `name` in `workspace`, or `nil` when there is none.
    ///
    /// What a caller that assumes the customer's role needs, read straight from the stored record: its
    /// checksum is verified and the sealed value opened, but the rest of the record is not decoded.
    package func externalID(
        ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName = .default
    ) throws(CatalogError)
        -> String?
    {
        try withSecret(.externalID, ofConnectionNamed: name, in: workspace) { String(decoding: $0, as: UTF8.self) }
    }

    /// Opens sealed field `field` of the connection named `name` in `workspace` straight from its stored record
    /// and lends the plaintext to `body` (wiped afterwards; it must not escape). `nil` when there is no such
    /// connection or it has no such field. The record's checksum is verified; the rest of it is not decoded,
    /// and nothing is allocated on the way.
    ///
    /// Inlined into the caller, so that the result's type is known there: generic code in this module would
    /// look up the metadata of `R?` at every call, a twentieth of the whole lookup.
    @inlinable
    public func withSecret<R>(
        _ field: PropertyKey, ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName = .default,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws(CatalogError) -> R? {
        var result: R?
        guard try openSecret(field, ofConnectionNamed: name, in: workspace, { result = try body($0) }) else {
            return nil
        }
        return result
    }

    /// The non-generic body of `withSecret(_:ofConnectionNamed:in:_:)`: `false` when there is nothing to open.
    @usableFromInline
    func openSecret(
        _ field: PropertyKey, ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws(CatalogError) -> Bool {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.withSecret(field, ofConnectionNamed: name, in: workspace, body)
            case .store(let queries): try queries.withSecret(field, ofConnectionNamed: name, in: workspace, body)
            }
        }
    }

    /// Opens sealed field `field` and lends its plaintext to `body`; the buffer is wiped afterwards.
    /// `nil` when the connection has no such field.
    package func withSecret<R>(
        _ field: PropertyKey, of connection: Connection, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws(CatalogError) -> R? {
        var result: R?
        let opened = try reading {
            switch access {
            case .lmdb(let queries): try queries.withSecret(field, of: connection, { result = try body($0) })
            case .store(let queries): try queries.withSecret(field, of: connection, { result = try body($0) })
            }
        }
        guard opened else { return nil }
        return result
    }

    /// The value of catalog setting `name`.
    package func setting(_ name: String) throws(CatalogError) -> String? {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.setting(name)
            case .store(let queries): try queries.setting(name)
            }
        }
    }

    /// Every catalog setting, in name order.
    package func settings() throws(CatalogError) -> [(name: String, value: String)] {
        try reading {
            switch access {
            case .lmdb(let queries): try queries.settings()
            case .store(let queries): try queries.settings()
            }
        }
    }
}

extension CatalogReader {
    /// Runs one lookup and maps a storage or sealing failure into `CatalogError`, so that every method of the
    /// reader throws only that type; the original failure stays as `underlying`.
    private func reading<R>(_ lookup: () throws -> R) throws(CatalogError) -> R {
        do { return try lookup() } catch { throw .fromBody(error, doing: "reading the catalog") }
    }
}

/// Lent to one closure on one thread: its storage transaction must not cross to another.
@available(*, unavailable)
extension CatalogReader: Sendable {}
