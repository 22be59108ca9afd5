/// A named keyspace of a store: LMDB's named database (`MDB_dbi`), or a key prefix on etcd. A store declares
/// its keyspaces when it opens and hands out their handles.
public struct Keyspace: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// The backend's handle: LMDB's `MDB_dbi`; other backends number their keyspaces in declaration order.
    package let handle: UInt32

    package init(name: String, handle: UInt32) {
        self.name = name
        self.handle = handle
    }

    public var description: String { name }
}

/// The name LMDB's layer has long used for a keyspace.
public typealias Database = Keyspace
