public import Logging

/// The new key metadata after a rotation or a rekey: what the catalog writes to `meta` in the same
/// write transaction as the rest of the change.
///
/// Both operations first verify the current master key against the stored check value, so a wrong key
/// fails with `wrong_key` before anything is computed or written.
public struct KeyringRewrap: Sendable {
    /// The keyring to seal with from now on.
    public let keyring: Keyring
    /// The keyring wrapped by the (new) master key, to store in `meta`.
    public let wrappedKeyring: [UInt8]
    /// The (new) master key's check value, to store in `meta`.
    public let checkValue: [UInt8]

    /// Sets up key metadata for a new catalog: one fresh data key, wrapped by `master`, and its check value.
    public static func initial(master: MasterKey, logger: Logger? = nil) -> KeyringRewrap {
        let keyring = Keyring.generate()
        logger?.info("created a keyring", metadata: ["key_id": "\(keyring.newestKeyID)"])
        return KeyringRewrap(
            keyring: keyring, wrappedKeyring: keyring.wrapped(by: master), checkValue: master.makeCheckValue())
    }

    /// Adds a new data key (`catalog rotate-key`); the caller then re-seals every record with the
    /// returned keyring in the same transaction.
    ///
    /// - Throws: `SealingError` `.wrongKey` if `master` does not match `checkValue`; the errors of
    ///   `Keyring.unwrap(_:with:)` if the stored keyring is damaged.
    public static func rotate(
        wrappedKeyring: [UInt8], checkValue: [UInt8], master: MasterKey, logger: Logger? = nil
    ) throws(SealingError) -> KeyringRewrap {
        try master.verify(checkValue: checkValue)
        let keyring = try Keyring.unwrap(wrappedKeyring, with: master).rotated()
        logger?.info("rotated the data key", metadata: ["key_id": "\(keyring.newestKeyID)"])
        return KeyringRewrap(keyring: keyring, wrappedKeyring: keyring.wrapped(by: master), checkValue: checkValue)
    }

    /// Re-wraps the keyring under a new master key (`catalog rekey`); no record changes.
    ///
    /// After the transaction commits, only `newMaster` opens the catalog.
    /// - Throws: `SealingError` `.wrongKey` if `oldMaster` does not match `checkValue`; the errors of
    ///   `Keyring.unwrap(_:with:)` if the stored keyring is damaged.
    public static func rekey(
        wrappedKeyring: [UInt8], checkValue: [UInt8], from oldMaster: MasterKey, to newMaster: MasterKey,
        logger: Logger? = nil
    ) throws(SealingError) -> KeyringRewrap {
        try oldMaster.verify(checkValue: checkValue)
        let keyring = try Keyring.unwrap(wrappedKeyring, with: oldMaster)
        logger?.info("re-wrapped the keyring under a new master key", metadata: ["key_ids": "\(keyring.keyIDs)"])
        return KeyringRewrap(
            keyring: keyring, wrappedKeyring: keyring.wrapped(by: newMaster), checkValue: newMaster.makeCheckValue())
    }
}
