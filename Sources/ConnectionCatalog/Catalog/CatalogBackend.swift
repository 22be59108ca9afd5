internal import CatalogStorage

/// Where a catalog's records live. The embedded LMDB environment keeps its own case, so that its reads stay
/// specialised for LMDB's transactions (a DESC costs a few microseconds and allocates nothing); any other
/// store (etcd, DESIGN §9) is reached through the storage protocol alone, behind `AnyTransactionalStore`.
enum CatalogBackend: Sendable {
    case lmdb(Environment)
    case store(AnyTransactionalStore)
}

extension Catalog {
    /// The LMDB environment, for what only an LMDB catalog does (check, salvage, storage statistics, and the
    /// LMDB side of backup, verify and restore).
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
    package var isOnStore: Bool {
        if case .store = backend { return true }
        return false
    }

    static func lmdbOnly(on store: AnyTransactionalStore) -> CatalogError {
        CatalogError(
            .unsupported,
            "the catalog on \(store.description) is not an LMDB catalog: check, salvage and the storage "
                + "statistics work on LMDB catalogs only; on this store every SQL statement, settings, stats, init, "
                + "rekey, rotate-key, backup, restore, export and import work",
            details: ["reason": "lmdb_only", "store": store.description])
    }
}

extension Catalog {
    /// Runs `body` on one snapshot of whichever backend holds the catalog (export, backup of a store).
    func readStorage<R>(_ body: (any StorageReading) throws -> R) throws -> R {
        switch backend {
        case .lmdb(let environment): try environment.read { tx in try body(copy tx) }
        case .store(let store): try store.read { snapshot in try body(copy snapshot) }
        }
    }

    /// Runs `body` in one write on whichever backend holds the catalog, for small changes of `meta` (rekey).
    /// The body may run more than once, so it has no effects outside the write.
    func writeStorage<R>(_ body: (any StorageWriting) throws -> R) throws -> R {
        switch backend {
        case .lmdb(let environment): try environment.writeBlocking { tx in try body(copy tx) }
        case .store(let store): try store.writeBlocking { writer in try body(copy writer) }
        }
    }
}
