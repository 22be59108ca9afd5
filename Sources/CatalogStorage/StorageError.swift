/// An error from the storage layer: an LMDB return code, an `errno` from the file system, or a check of this layer.
///
/// Every C return code passes through one funnel (`check(_:_:)`), so an error always names the C function
/// that failed and carries LMDB's own text beside a message that says what to do.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// The numeric code: negative LMDB codes (`-30799 … -30780`), positive `errno` values, or this layer's own
    /// codes (`-30099 … -30000`, a range LMDB does not use).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public var description: String { Self.names[rawValue] ?? "errno\(rawValue)" }
    }

    public var code: Code
    /// The C function or layer operation that failed, e.g. `mdb_put`.
    public var operation: String
    /// What went wrong and what to do about it.
    public var message: String
    /// For `.conflict`: the keyspace and key whose version no longer held (a key is never printed: it may
    /// name a connection the caller did not ask about).
    public var keyspace: String?
    public var key: [UInt8]?

    public init(code: Code, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(message) (\(code) \(code.rawValue) from \(operation))" }

    /// What kind of failure this is, in terms every backend shares; `code` keeps the backend's own number
    /// (LMDB's, or an `errno`) as a detail.
    public enum Kind: String, Sendable, Hashable {
        /// A change set read a version that no longer holds; nothing was written. Retry the work.
        case conflict
        /// The stored data is damaged or not the store's format.
        case corrupted
        /// The disk or the store's space is full.
        case full
        /// The store refused access (permissions, a read-only file system).
        case denied
        /// A key or value outside the store's limits.
        case invalidKey
        /// The store cannot be used here (a network file system, an incompatible version).
        case unsupported
        /// Any other I/O or backend failure.
        case failure
    }

    /// The backend-neutral kind of `code`.
    public var kind: Kind {
        switch code {
        case .conflict: .conflict
        case .corrupted, .pageNotFound, .panic, .invalid, .badTransaction, .badDatabase: .corrupted
        case .mapFull, .noSpace, .databasesFull, .readersFull, .transactionFull, .changeSetTooLarge: .full
        case .permissionDenied, .readOnlyFileSystem: .denied
        case .badValueSize: .invalidKey
        case .unsupportedFileSystem, .versionMismatch, .incompatible, .notARegularFile: .unsupported
        default: .failure
        }
    }
}

extension StorageError.Code {
    // LMDB's codes, in lmdb.h order. `StorageErrorCodeTests` pins each to its C macro.
    public static let keyExists = Self(rawValue: -30799)
    public static let notFound = Self(rawValue: -30798)
    public static let pageNotFound = Self(rawValue: -30797)
    public static let corrupted = Self(rawValue: -30796)
    public static let panic = Self(rawValue: -30795)
    public static let versionMismatch = Self(rawValue: -30794)
    public static let invalid = Self(rawValue: -30793)
    public static let mapFull = Self(rawValue: -30792)
    public static let databasesFull = Self(rawValue: -30791)
    public static let readersFull = Self(rawValue: -30790)
    public static let threadLocalStorageFull = Self(rawValue: -30789)
    public static let transactionFull = Self(rawValue: -30788)
    public static let cursorFull = Self(rawValue: -30787)
    public static let pageFull = Self(rawValue: -30786)
    public static let mapResized = Self(rawValue: -30785)
    public static let incompatible = Self(rawValue: -30784)
    public static let badReaderSlot = Self(rawValue: -30783)
    public static let badTransaction = Self(rawValue: -30782)
    public static let badValueSize = Self(rawValue: -30781)
    public static let badDatabase = Self(rawValue: -30780)

    // errno values LMDB and the file system hand back most often.
    public static let fileNotFound = Self(rawValue: 2)
    public static let ioFailure = Self(rawValue: 5)
    public static let permissionDenied = Self(rawValue: 13)
    public static let notADirectory = Self(rawValue: 20)
    public static let invalidArgument = Self(rawValue: 22)
    public static let noSpace = Self(rawValue: 28)
    public static let readOnlyFileSystem = Self(rawValue: 30)

    // This layer's own codes.
    /// The catalog directory lies on a network file system, where LMDB's locking is unsafe.
    public static let unsupportedFileSystem = Self(rawValue: -30000)
    /// A named database was asked for that the environment was not opened with.
    public static let unknownDatabase = Self(rawValue: -30001)
    /// The map cannot grow because this thread itself holds a transaction that pins the current map.
    public static let cannotGrow = Self(rawValue: -30002)
    /// A change set read a version that no longer holds: another writer changed what it read. Nothing was written.
    public static let conflict = Self(rawValue: -30003)
    /// A catalog file (`data.mdb`, `lock.mdb`) is a FIFO, device, socket or directory instead of a regular file.
    public static let notARegularFile = Self(rawValue: -30004)
    /// `lock.mdb` was deleted or replaced while a process had the environment open: LMDB's locks no longer keep
    /// processes apart, so writing could corrupt the file. Every process using the catalog must close it.
    public static let lockFileReplaced = Self(rawValue: -30005)
    // -30004 … -30009 are kept for the LMDB environment's own checks; a distributed store's codes start at -30010.
    /// No member of a distributed store answered (every endpoint refused, timed out or had no leader).
    public static let unavailable = Self(rawValue: -30010)
    /// A change set is larger than the store takes in one atomic commit (etcd: 128 operations or 1.5 MiB).
    public static let changeSetTooLarge = Self(rawValue: -30011)
    /// A distributed store answered with an error of its own (its message is kept).
    public static let backendFailure = Self(rawValue: -30012)

    static let names: [Int32: String] = [
        -30799: "keyExists", -30798: "notFound", -30797: "pageNotFound", -30796: "corrupted",
        -30795: "panic", -30794: "versionMismatch", -30793: "invalid", -30792: "mapFull",
        -30791: "databasesFull", -30790: "readersFull", -30789: "threadLocalStorageFull",
        -30788: "transactionFull", -30787: "cursorFull", -30786: "pageFull", -30785: "mapResized",
        -30784: "incompatible", -30783: "badReaderSlot", -30782: "badTransaction", -30781: "badValueSize",
        -30780: "badDatabase", 2: "fileNotFound", 5: "ioFailure", 13: "permissionDenied", 20: "notADirectory",
        22: "invalidArgument", 28: "noSpace", 30: "readOnlyFileSystem", -30000: "unsupportedFileSystem",
        -30001: "unknownDatabase", -30002: "cannotGrow", -30003: "conflict", -30004: "notARegularFile",
        -30005: "lockFileReplaced", -30010: "unavailable", -30011: "changeSetTooLarge", -30012: "backendFailure",
    ]
}
