/// A named database inside an environment (LMDB's `MDB_dbi`), opened once with the environment.
public struct Database: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    let handle: UInt32

    public var description: String { name }
}
