internal import CatalogStorage

/// An LMDB environment's size and use, from one snapshot: what an operator watches to see the map fill up or
/// reader slots leak.
package struct LMDBStorageStats: Sendable, CustomStringConvertible {
    /// The storage layer's own snapshot, which these properties read and `description` renders.
    let environment: EnvironmentStats

    init(_ environment: EnvironmentStats) { self.environment = environment }

    /// The canonical path of the environment.
    package var path: String { environment.path }
    /// Entries per named database, in the order the environment was opened with.
    package var entries: [(database: String, count: Int)] { environment.entries }
    /// The size of the memory map in bytes: how far the data file may grow before the map is doubled.
    package var mapSize: Int { environment.mapSize }
    /// Bytes of the map in use: pages up to the last one written.
    package var usedBytes: Int { environment.usedBytes }
    /// LMDB's page size in bytes.
    package var pageSize: Int { environment.pageSize }
    /// Reader slots holding a live read transaction, across every process.
    package var readersInUse: Int { environment.readersInUse }
    /// The number of reader slots the lock file has.
    package var maxReaders: Int { environment.maxReaders }
    /// The id of the last committed write transaction.
    package var lastTransactionID: Int { environment.lastTransactionID }

    package var description: String { environment.description }
}
