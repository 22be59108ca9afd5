internal import CatalogStorage

/// Where a catalog's records live. The embedded LMDB environment keeps its own case, so that its reads stay
/// specialised for LMDB's transactions (a DESC costs a few microseconds and allocates nothing); any other
/// store (etcd, DESIGN §9) is reached through the storage protocol alone, behind `AnyTransactionalStore`.
enum CatalogBackend: Sendable {
    case lmdb(Environment)
    case store(AnyTransactionalStore)
}

extension Catalog {
    /// The LMDB environment, for what only an LMDB catalog does (backup, verify, restore, check, salvage,
    /// export, import, rotate-key, storage statistics).
    ///
    /// - Throws: `CatalogError` `.unsupported` on another store, saying what works there.
    var environment: Environment {
        get throws(CatalogError) {
            switch backend {
            case .lmdb(let environment): return environment
            case .store(let store): throw Self.lmdbOnly(on: store)
            }
        }
    }

    /// Whether the catalog lives in another store than LMDB (etcd).
    public var isOnStore: Bool {
        if case .store = backend { return true }
        return false
    }

    static func lmdbOnly(on store: AnyTransactionalStore) -> CatalogError {
        CatalogError(
            .unsupported,
            "the catalog on \(store.description) is not an LMDB catalog: backup, verify, restore, check, salvage, "
                + "export, import and rotate-key work on LMDB catalogs only for now (their work would not fit one "
                + "etcd transaction); on this store every SQL statement, settings, stats, init and rekey work",
            details: ["reason": "lmdb_only", "store": store.description])
    }
}

extension Catalog {
    /// Runs `body` in one write on whichever backend holds the catalog, for small changes of `meta` (rekey).
    /// The body may run more than once, so it has no effects outside the write.
    func writeStorage<R>(_ body: (any StorageWriting) throws -> R) throws -> R {
        switch backend {
        case .lmdb(let environment): try environment.writeBlocking { tx in try body(copy tx) }
        case .store(let store): try store.writeBlocking { writer in try body(copy writer) }
        }
    }
}
