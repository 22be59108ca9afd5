extension Environment {
    /// Validates and applies `changes`, then runs `appending` in the same write transaction: a layer above adds
    /// what only the commit can decide (the change log's sequence numbers) atomically with the change set.
    /// `appending` may run more than once (the map grew), so it has no effects outside the transaction.
    ///
    /// - Throws: `StorageError` `.conflict` (nothing written) as `commitBlocking(_:)`; what `appending` throws.
    package func commitBlocking(_ changes: ChangeSet, appending: (borrowing WriteTransaction) throws -> Void) throws {
        let halfway: (() -> Void)? = FailPoint.killsMidCommit ? { FailPoint.killProcess() } : nil
        try writeBlocking { tx in
            try tx.validateAndApply(changes, halfway: halfway)
            try appending(tx)
        }
    }

    /// `commitBlocking(_:appending:)` as one member of the next group commit.
    package func commit(
        _ changes: ChangeSet, appending: @escaping @Sendable (borrowing WriteTransaction) throws -> Void
    )
        async throws
    {
        try await write { tx in
            try tx.validateAndApply(changes)
            try appending(tx)
        }
    }
}
