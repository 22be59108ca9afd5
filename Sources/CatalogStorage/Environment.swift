internal import CLMDB
public import Logging
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// An LMDB environment: the files of one catalog, its named databases and its transactions.
///
/// One `Environment` exists per canonical path per process; `open` returns the existing one when the path is
/// already open. The handle is `Sendable`: reads run on any thread, many at once (`MDB_NOTLS`); writes are
/// serialised by an in-process lock and, across processes, by LMDB's own. The map grows by itself.
public final class Environment: Sendable {
    /// The canonical path of the directory (or, for `.singleFile`, the data file).
    public let path: String
    public let options: Options
    /// How many stale reader slots, left by dead processes, were cleared when this handle opened.
    public let clearedStaleReaders: Int

    let handle: EnvironmentHandle
    let databases: Mutex<[String: Database]>
    let gate = TransactionGate()
    let writerLock = ConditionLock()
    let writerThread = Atomic<UInt>(0)
    let commits = Atomic<Int>(0)
    let logger: Logger
    let groupCommit = GroupCommitQueue()
    let metrics = StorageMetrics()
    let readerPool = Mutex<[PooledReader]>([])
    /// The OFD locks on the data file that keep processes apart even if `lock.mdb` is deleted; `nil` without
    /// locking (a file no other process uses).
    let processLock: ProcessLock?

    /// Opens (creating on first use, unless read-only) the environment at `path`.
    ///
    /// Files are created `0600` and a new directory `0700`. Stale reader slots of dead processes are cleared.
    /// A data or lock file that is not a regular file (a FIFO would make LMDB wait forever) is refused before
    /// LMDB opens anything.
    ///
    /// - Throws: `StorageError` — `.unsupportedFileSystem` on a network file system, `.invalid` for a file
    ///   that is not an LMDB environment, `.notARegularFile`, `.lockFileReplaced` when another process has the
    ///   environment open through a lock file that has since been deleted, an `errno` code when the directory
    ///   cannot be made or read.
    public static func open(
        at path: String, options: Options = Options(), logger: Logger = Environment.silentLogger
    )
        throws(StorageError) -> Environment
    {
        let canonical = try canonicalPath(for: path, options: options)
        do {
            return try EnvironmentRegistry.shared.environment(at: canonical) {
                try Environment(canonicalPath: canonical, options: options, logger: logger)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            preconditionFailure("only StorageError is thrown while opening: \(error)")
        }
    }

    /// A logger that drops everything, for callers that pass none.
    public static let silentLogger = Logger(label: "catalog.storage", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(canonicalPath: String, options: Options, logger: Logger) throws(StorageError) {
        self.path = canonicalPath
        self.options = options
        self.logger = logger

        var raw: OpaquePointer?
        try check("mdb_env_create") { mdb_env_create(&raw) }
        guard let env = raw else { preconditionFailure("mdb_env_create succeeded without an environment") }
        var flags = UInt32(MDB_NOTLS)
        if options.readOnly { flags |= UInt32(MDB_RDONLY) }
        if options.layout == .singleFile { flags |= UInt32(MDB_NOSUBDIR) }
        if options.withoutLocking { flags |= UInt32(MDB_NOLOCK) }
        let files = Self.files(of: canonicalPath, layout: options.layout)
        do throws(StorageError) {
            try EnvironmentDirectory.requireRegularFileIfPresent(files.data)
            if !options.withoutLocking { try EnvironmentDirectory.requireRegularFileIfPresent(files.lock) }
            try check("mdb_env_set_maxreaders") { mdb_env_set_maxreaders(env, UInt32(options.maxReaders)) }
            try check("mdb_env_set_maxdbs") { mdb_env_set_maxdbs(env, MDB_dbi(options.databases.count + 2)) }
            try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(env, options.mapSize) }
            try check("mdb_env_open") { mdb_env_open(env, canonicalPath, flags, 0o600) }
        } catch {
            mdb_env_close(env)
            throw StorageError(
                code: error.code, operation: error.operation,
                message: "cannot open the environment at '\(canonicalPath)': \(error.message)")
        }
        var dead: Int32 = 0
        if !options.withoutLocking {
            _ = mdb_reader_check(env, &dead)
            do throws(StorageError) {
                processLock = try ProcessLock(dataFile: files.data, lockFile: files.lock, writable: !options.readOnly)
            } catch {
                mdb_env_close(env)
                throw error
            }
        } else {
            processLock = nil
        }
        clearedStaleReaders = Int(dead)
        if dead > 0 {
            logger.notice("cleared stale reader slots", metadata: ["count": "\(dead)", "path": "\(canonicalPath)"])
        }
        handle = EnvironmentHandle(pointer: env)
        do throws(StorageError) {
            databases = Mutex(
                try Self.openDatabases(
                    options.databases, in: env, create: options.createsDatabases && !options.readOnly,
                    readOnly: options.readOnly))
        } catch {
            processLock?.releaseDataFile()
            mdb_env_close(env)
            processLock?.releaseLockFile()
            throw error
        }
    }

    deinit {
        let env = handle.pointer
        let pooled = readerPool.withLock { $0 }
        let processLock = processLock
        EnvironmentRegistry.shared.close(path: path) {
            // The open lock goes first and the lock-file descriptor last: a process never holds the former
            // without LMDB's lock, and closing a descriptor of lock.mdb before LMDB is done would drop LMDB's lock.
            processLock?.releaseDataFile()
            for reader in pooled { mdb_txn_abort(reader.txn) }
            mdb_env_close(env)
            processLock?.releaseLockFile()
        }
    }

    /// The data and lock files of an environment at the canonical `path`.
    static func files(of path: String, layout: Options.Layout) -> (data: String, lock: String) {
        switch layout {
        case .directory:
            ("\(path)/\(EnvironmentDirectory.dataFileName)", "\(path)/\(EnvironmentDirectory.lockFileName)")
        case .singleFile: (path, "\(path)-lock")
        }
    }

    /// Whether a process other than this one has the environment at `path` open.
    ///
    /// Every process holds a lock on its data file for as long as it has it open (an OFD lock, which survives
    /// the deletion of `lock.mdb`); this asks whether another holds it, acquiring nothing. The answer can be
    /// stale as soon as it is given: use it to refuse an operation (restoring over a live catalog), never as a
    /// guarantee of exclusivity. A missing path or data file is not in use.
    ///
    /// - Throws: `StorageError` `.notARegularFile` if the data file is not a regular file, or an `errno` code.
    public static func isInUseByAnotherProcess(
        at path: String, layout: Options.Layout = .directory
    )
        throws(StorageError) -> Bool
    {
        let directory: String
        switch layout {
        case .directory: directory = path
        case .singleFile:
            let slash = path.lastIndex(of: "/")
            directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        }
        guard let resolved = realpath(directory, nil) else {
            if errno == ENOENT { return false }
            throw StorageError.system("realpath", path: directory)
        }
        var canonical = String(cString: resolved)
        free(resolved)
        if layout == .singleFile {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            canonical = canonical == "/" ? "/\(name)" : "\(canonical)/\(name)"
        }
        if let open = EnvironmentRegistry.shared.openEnvironment(at: canonical), let lock = open.processLock {
            return try lock.isHeldByAnotherProcess()
        }
        return try ProcessLock.isHeld(dataFile: files(of: canonical, layout: layout).data)
    }

    /// The named database `name`.
    ///
    /// - Throws: `StorageError` `.unknownDatabase` if the environment was not opened with it (or, read-only,
    ///   the file does not have it).
    public func database(_ name: String) throws(StorageError) -> Database {
        guard let database = databases.withLock({ $0[name] }) else {
            throw StorageError(
                code: .unknownDatabase, operation: "database",
                message: "the environment at '\(path)' has no open database named '\(name)'")
        }
        return database
    }

    /// The number of LMDB transactions this handle has committed (group commits count once).
    public var committedTransactions: Int { commits.load(ordering: .relaxed) }

    private static func openDatabases(
        _ names: [String], in env: OpaquePointer, create: Bool, readOnly: Bool
    )
        throws(StorageError)
        -> [String: Database]
    {
        while true {
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
            if rc == MDB_MAP_RESIZED {
                try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(env, 0) }
                continue
            }
            if rc != 0 { throw StorageError(lmdbCode: rc, operation: "mdb_txn_begin") }
            var result: [String: Database] = [:]
            for name in names {
                var dbi: MDB_dbi = 0
                let openRC = mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
                if openRC == MDB_NOTFOUND && !create { continue }
                if openRC != 0 {
                    mdb_txn_abort(txn)
                    throw StorageError(lmdbCode: openRC, operation: "mdb_dbi_open")
                }
                result[name] = Database(name: name, handle: dbi)
            }
            try check("mdb_txn_commit") { mdb_txn_commit(txn) }
            return result
        }
    }

    /// Resolves symlinks and `..`, creating the directory (`0700`) first when the environment may create it.
    private static func canonicalPath(for path: String, options: Options) throws(StorageError) -> String {
        let directory: String
        switch options.layout {
        case .directory:
            if !options.readOnly { try makeDirectory(path) }
            directory = path
        case .singleFile:
            let slash = path.lastIndex(of: "/")
            directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        }
        guard let resolved = realpath(directory, nil) else { throw StorageError.system("realpath", path: directory) }
        defer { free(resolved) }
        let canonicalDirectory = String(cString: resolved)
        try FileSystemCheck.requireLocal(canonicalDirectory)
        switch options.layout {
        case .directory: return canonicalDirectory
        case .singleFile:
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return canonicalDirectory == "/" ? "/\(name)" : "\(canonicalDirectory)/\(name)"
        }
    }

    /// `mkdir -p` with mode `0700` for each directory it creates.
    static func makeDirectory(_ path: String) throws(StorageError) {
        var partial = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            partial += partial.isEmpty || partial.hasSuffix("/") ? String(component) : "/\(component)"
            if mkdir(partial, 0o700) != 0 && errno != EEXIST {
                throw StorageError.system("mkdir", path: partial)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw StorageError.system("stat", path: path) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StorageError(
                code: .notADirectory, operation: "mkdir",
                message: "'\(path)' exists and is not a directory; choose another catalog path")
        }
    }
}

/// A reset read transaction kept for reuse, with the lease its uses share.
struct PooledReader: @unchecked Sendable {
    // Safe because: a pooled reader is used by one thread at a time: it is taken out of the pool under its
    // mutex before use and put back after (MDB_NOTLS lets a read transaction move between threads).
    let txn: OpaquePointer
    let lease: TransactionLease
}

/// The `MDB_env` pointer.
struct EnvironmentHandle: @unchecked Sendable {
    // Safe because: an LMDB environment opened with MDB_NOTLS may be used from any thread; the one operation
    // that needs exclusivity (resizing the map) goes through `TransactionGate.exclusively`.
    let pointer: OpaquePointer
}
