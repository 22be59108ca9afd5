package import CatalogSealing
internal import CatalogStorage
internal import Logging

extension Catalog {
    /// Adds a new data key and re-seals every sealed value, current records and history alike, with it
    /// (`catalog rotate-key`). Returns the new key id.
    ///
    /// On LMDB this is one write transaction. On a store with bounded commits (etcd) it runs in steps that
    /// readers never see half done (`rotateInSteps`): the key is added first, records are re-sealed a batch per
    /// commit, and a rotation interrupted at any point is finished by running this again.
    ///
    /// - Parameter progress: called with (records done, records in all) as the work goes; it may be called again
    ///   from the start if the transaction is retried.
    /// - Throws: `CatalogError` `.wrongKey` if the stored check value no longer matches this handle's master
    ///   key (another process rekeyed), `.integrityError` if a value fails to open.
    @discardableResult
    public func rotateDataKey(progress: ((Int, Int) -> Void)? = nil) throws(CatalogError) -> UInt32 {
        let master = keys.master
        let databases = self.databases
        let catalogID = self.catalogID
        if case .store(let store) = backend {
            let result: (keyring: Keyring, wrappedKeyring: [UInt8])
            do { result = try rotateInSteps(on: store, progress: progress) } catch {
                throw CatalogError.wrapping(error, doing: "rotating the data key")
            }
            logger?.notice("rotated the data key", metadata: ["key_id": "\(result.keyring.newestKeyID)"])
            return result.keyring.newestKeyID
        }
        let result: KeyringRewrap
        do {
            result = try environment.writeBlocking { tx in
                let meta = databases.meta
                let stored = try StoredKeyMetadata.read(from: tx, meta: meta)
                let rewrap = try KeyringRewrap.rotate(
                    wrappedKeyring: stored.wrappedKeyring, checkValue: stored.checkValue, master: master,
                    logger: logger)
                let sealer = Sealer(keyring: rewrap.keyring)
                let stores = [databases.connections] + (databases.history.map { [$0] } ?? [])
                let total = try stores.reduce(0) { $0 + (try tx.count(of: $1)) }
                var done = 0
                for store in stores {
                    try RecordResealing.resealAll(in: store, tx, catalogID: catalogID, with: sealer) { count in
                        done += count
                        progress?(done, total)
                    }
                }
                try tx.put(rewrap.wrappedKeyring, for: MetaKey.key(MetaKey.keyring), in: meta)
                // A rotation left unfinished on a store (and backed up so) is finished by this one.
                try tx.delete(MetaKey.key(MetaKey.rotation), in: meta)
                return rewrap
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "rotating the data key")
        }
        keys.replace(master: master, wrappedKeyring: result.wrappedKeyring, keyring: result.keyring)
        logger?.notice("rotated the data key", metadata: ["key_id": "\(result.keyring.newestKeyID)"])
        return result.keyring.newestKeyID
    }

    /// Re-wraps the keyring under `newMaster` (`catalog rekey`); no record changes. After it returns, only
    /// `newMaster` opens the catalog: store the new key before calling this.
    ///
    /// - Parameters:
    ///   - newMaster: the master key that opens the catalog from now on.
    ///   - passphraseParameters: the Argon2id salt and limits `newMaster` was derived with, if it came from a
    ///     passphrase (stored so the next open can derive it again); `nil` removes any stored ones.
    package func rekey(to newMaster: MasterKey, passphraseParameters: PassphraseParameters? = nil) throws(CatalogError)
    {
        let master = keys.master
        let meta = databases.meta
        let result: KeyringRewrap
        do {
            // Three keys of `meta`: it fits one transaction on any store.
            result = try writeStorage { tx in
                let stored = try StoredKeyMetadata.read(from: tx, meta: meta)
                let rewrap = try KeyringRewrap.rekey(
                    wrappedKeyring: stored.wrappedKeyring, checkValue: stored.checkValue, from: master,
                    to: newMaster, logger: logger)
                try tx.put(rewrap.wrappedKeyring, for: MetaKey.key(MetaKey.keyring), in: meta)
                try tx.put(rewrap.checkValue, for: MetaKey.key(MetaKey.checkValue), in: meta)
                if let passphraseParameters {
                    try tx.put(passphraseParameters.bytes, for: MetaKey.key(MetaKey.passphrase), in: meta)
                } else {
                    try tx.delete(MetaKey.key(MetaKey.passphrase), in: meta)
                }
                return rewrap
            }
        } catch {
            throw CatalogError.wrapping(error, doing: "re-keying the catalog")
        }
        keys.replace(master: newMaster, wrappedKeyring: result.wrappedKeyring, keyring: result.keyring)
        logger?.notice("re-wrapped the keyring under a new master key")
    }

    /// The ids of the data keys and their fingerprints (keyed BLAKE2b; never the keys), for manifests.
    package func keyFingerprints() -> [(keyID: UInt32, fingerprint: String)] {
        keys.sealer.keyring.fingerprints(with: keys.master)
    }

    func reseal(
        _ envelope: [UInt8], _ field: PropertyKey, of connection: Connection, with sealer: Sealer
    ) throws
        -> [UInt8]
    {
        let place = place(of: field, in: connection)
        do {
            return try sealer.withOpened(try SealedValue(bytes: envelope), for: place) { plaintext in
                sealer.seal(plaintext, for: place).bytes
            }
        } catch let error as SealingError {
            throw CatalogError.sealing(
                error, doing: "re-sealing \(field) of connection '\(connection.name)' (version \(connection.version))")
        }
    }
}
