/// A read-only snapshot, lent to the closure of `Environment.read`; it ends when the closure returns.
///
/// It is not `Sendable`, so it stays on its thread. Layers above may wrap it in their own types; using it after
/// its closure has returned is a programming error and traps.
public struct ReadTransaction: StorageReading {
    private let rawTxn: OpaquePointer
    private let lease: TransactionLease
    private let generation: UInt64

    init(txn: OpaquePointer, lease: TransactionLease) {
        rawTxn = txn
        self.lease = lease
        generation = lease.generation
    }

    public var snapshotHandle: SnapshotHandle { SnapshotHandle(txn: lease.checked(rawTxn, generation: generation)) }
}

@available(*, unavailable)
extension ReadTransaction: Sendable {}
