/// The storage part of `CatalogStats`, as values: an LMDB environment's figures, or what another store is.
///
/// `description` renders the text `CatalogStats` has always shown; a program reads the cases instead.
package enum CatalogStorageStats: Sendable, CustomStringConvertible {
    /// The embedded LMDB environment: entries per database, map size and use, reader slots.
    case lmdb(LMDBStorageStats)
    /// Another store (etcd), which reports only what it is: `etcd://host:port/name`.
    case store(description: String)

    package var description: String {
        switch self {
        case .lmdb(let stats): stats.description
        case .store(let description): "store: \(description)"
        }
    }
}
