/// Any `TransactionalStore`, behind one concrete type: what a layer holds when it must not depend on a
/// backend's module (the catalog runs on etcd without importing it).
///
/// Each operation forwards through a closure captured at `init`, and the snapshots and writes it lends are
/// `AnyStorageReading` / `AnyStorageWriting`, which forward every read (the versioned ones too, so a backend's
/// own revisions reach the change set) to the backend's own snapshot or write. The cost is a closure call and
/// an existential call per operation, nothing next to a network round trip; the embedded LMDB path does not
/// go through it.
public final class AnyTransactionalStore: TransactionalStore {
    public typealias Snapshot = AnyStorageReading
    public typealias Writer = AnyStorageWriting

    /// What the store is, for messages: `etcd://127.0.0.1:2379/sales`, say. Never a credential.
    public let description: String
    /// The store itself as a `ReplaceableStore`, when it is one (bounded bulk work: import, restore).
    public let replaceable: (any ReplaceableStore)?
    private let keyspaceBody: @Sendable (String) throws(StorageError) -> Keyspace
    private let readBody: @Sendable ((AnyStorageReading) throws -> Void) throws -> Void
    private let writeBody: @Sendable ((AnyStorageWriting) throws -> Void) throws -> Void
    private let asyncWriteBody:
        @Sendable (@escaping @Sendable (AnyStorageWriting) throws -> any Sendable) async throws -> any Sendable
    private let commitBody: @Sendable (ChangeSet) throws -> Void
    private let asyncCommitBody: @Sendable (ChangeSet) async throws -> Void

    /// Wraps `store`; `description` names it in messages.
    public init<Store: TransactionalStore>(_ store: Store, description: String) {
        self.description = description
        replaceable = store as? any ReplaceableStore
        keyspaceBody = { name throws(StorageError) in try store.keyspace(name) }
        readBody = { body in try store.read { snapshot in try body(AnyStorageReading(copy snapshot)) } }
        writeBody = { body in try store.writeBlocking { writer in try body(AnyStorageWriting(copy writer)) } }
        asyncWriteBody = { body in
            try await store.write { writer -> AnySendableBox in AnySendableBox(try body(AnyStorageWriting(copy writer)))
            }
            .value
        }
        commitBody = { changes in try store.commitBlocking(changes) }
        asyncCommitBody = { changes in try await store.commit(changes) }
    }

    public func keyspace(_ name: String) throws(StorageError) -> Keyspace { try keyspaceBody(name) }

    public func read<R>(_ body: (borrowing AnyStorageReading) throws -> R) throws -> R {
        var result: R?
        try readBody { snapshot in result = try body(snapshot) }
        return Self.unwrap(result)
    }

    public func writeBlocking<R>(_ body: (borrowing AnyStorageWriting) throws -> R) throws -> R {
        var result: R?
        try writeBody { writer in result = try body(writer) }
        return Self.unwrap(result)
    }

    public func write<R: Sendable>(
        _ body: @escaping @Sendable (borrowing AnyStorageWriting) throws -> R
    ) async throws -> R {
        let result = try await asyncWriteBody { writer in try body(writer) }
        guard let typed = result as? R else {
            preconditionFailure("the erased write returned \(type(of: result)), not \(R.self)")
        }
        return typed
    }

    public func commitBlocking(_ changes: ChangeSet) throws { try commitBody(changes) }

    public func commit(_ changes: ChangeSet) async throws { try await asyncCommitBody(changes) }

    private static func unwrap<R>(_ result: R?) -> R {
        guard let result else { preconditionFailure("a store returned without running the body") }
        return result
    }
}

/// A result crossing the erased async write (the backend's `write` needs a concrete `Sendable` type).
private struct AnySendableBox: Sendable {
    let value: any Sendable
    init(_ value: any Sendable) { self.value = value }
}
