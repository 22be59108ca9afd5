extension Environment {
    /// How an environment is opened. The defaults are the catalog's: a 1 GiB sparse map that grows by itself,
    /// 512 reader slots, synced commits.
    public struct Options: Sendable {
        /// Where the environment's files live.
        public enum Layout: Sendable {
            /// A directory holding `data.mdb` and `lock.mdb` (created when missing).
            case directory
            /// A single data file (a hot copy or a backup); its lock file sits beside it as `<name>-lock`.
            case singleFile
        }

        /// The initial map size in bytes; the map doubles whenever a write fills it.
        public var mapSize: Int = 1 << 30
        /// The number of reader slots, one per concurrent read transaction across all processes.
        public var maxReaders: Int = 512
        /// The named databases to open, created when missing unless the environment is read-only.
        public var databases: [String] = []
        /// Whether missing databases of `databases` are created at open. When `false`, the missing ones stay
        /// missing until a write transaction creates them (`createDatabase`), so that opening writes nothing.
        public var createsDatabases = true
        public var layout: Layout = .directory
        /// Opens without writing: no transaction may write, and missing databases stay missing.
        public var readOnly = false
        /// Skips LMDB's lock file; only for a file no other process can be using (a backup being verified).
        public var withoutLocking = false

        public init(databases: [String] = [], mapSize: Int = 1 << 30) {
            self.databases = databases
            self.mapSize = mapSize
        }
    }
}
