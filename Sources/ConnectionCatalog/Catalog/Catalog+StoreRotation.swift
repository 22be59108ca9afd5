internal import CatalogSealing
internal import CatalogStorage
internal import Logging

extension MetaKey {
    /// `rotation`: the id of the data key a rotation on a store is re-sealing records with (big-endian UInt32),
    /// present from the commit that added the key until every record is re-sealed. A rotation that finds it
    /// resumes with that key instead of adding another.
    static let rotation = "rotation"
}

extension Catalog {
    /// `rotateDataKey` on a store whose commits are bounded (etcd: 128 operations a `Txn`), in steps that readers
    /// never see half done:
    ///
    /// 1. one commit adds the new data key to the keyring and records it in `meta` `rotation` (a re-run that
    ///    finds `rotation` resumes with that key);
    /// 2. records of `connections`, then `history`, in key order, a batch per commit: each batch reads its
    ///    records (so a writer that changed one meanwhile conflicts the batch, which reads again; a batch that
    ///    keeps conflicting, or does not fit the store, is halved) and re-seals
    ///    the values not yet sealed with the new key;
    /// 3. one commit removes `rotation`.
    ///
    /// Old keys stay in the keyring throughout (as on LMDB, they are never removed), so every value opens at
    /// every moment, whichever key sealed it; a reader that meets the new key id reloads the keyring.
    func rotateInSteps(
        on store: AnyTransactionalStore, progress: ((Int, Int) -> Void)?
    ) throws
        -> (keyring: Keyring, wrappedKeyring: [UInt8])
    {
        let master = keys.master
        let databases = self.databases
        let meta = databases.meta
        let logger = self.logger
        let started = try store.writeBlocking { w -> (keyring: Keyring, wrapped: [UInt8], resumed: Bool) in
            let stored = try StoredKeyMetadata.read(from: w, meta: meta)
            let (wrapped, check) = (stored.wrappedKeyring, stored.checkValue)
            if let marker = try w.get(MetaKey.key(MetaKey.rotation), in: meta), let keyID = BigEndian.uint32(marker) {
                try master.verify(checkValue: check)
                let keyring = try Keyring.unwrap(wrapped, with: master)
                guard keyring.newestKeyID == keyID else {
                    throw CatalogError(
                        .integrityError,
                        "an unfinished rotation names data key \(keyID), but the newest key is \(keyring.newestKeyID); "
                            + "restore the catalog from a verified backup")
                }
                return (keyring, wrapped, true)
            }
            let rewrap = try KeyringRewrap.rotate(
                wrappedKeyring: wrapped, checkValue: check, master: master, logger: logger)
            try w.put(rewrap.wrappedKeyring, for: MetaKey.key(MetaKey.keyring), in: meta)
            try w.put(BigEndian.bytes(rewrap.keyring.newestKeyID), for: MetaKey.key(MetaKey.rotation), in: meta)
            return (rewrap.keyring, rewrap.wrappedKeyring, false)
        }
        keys.replace(master: master, wrappedKeyring: started.wrapped, keyring: started.keyring)
        let newest = started.keyring.newestKeyID
        logger?.notice(
            started.resumed ? "resuming an unfinished data key rotation" : "added a data key; re-sealing records",
            metadata: ["key_id": "\(newest)"])
        let sealer = Sealer(keyring: started.keyring)
        let keyspaces = [databases.connections] + (databases.history.map { [$0] } ?? [])
        let total = try store.read { snapshot in try keyspaces.reduce(0) { $0 + (try snapshot.count(of: $1)) } }
        var done = 0
        var batches = 0
        for keyspace in keyspaces {
            var after: [UInt8]?
            var batchSize = Self.rotationBatch
            while true {
                let lowerBound = after.map { $0 + [0] }
                let batch: (last: [UInt8]?, count: Int)
                do {
                    batch = try store.writeBlocking { w -> (last: [UInt8]?, count: Int) in
                        try Self.requireKeyring(started.wrapped, in: w, meta: meta)
                        let entries = try w.entries(in: keyspace, range: KeyRange(from: lowerBound), limit: batchSize)
                        for (key, value) in entries {
                            var connection = try ConnectionRecord.decode(value)
                            var changed = false
                            for (field, envelope) in connection.sealedFields {
                                if (try? SealedValue(bytes: envelope))?.keyID == newest { continue }
                                connection.sealedFields[field] = try reseal(
                                    envelope, field, of: connection, with: sealer)
                                changed = true
                            }
                            if changed {
                                try w.put(ConnectionRecord.encode(connection), for: RecordKey(key), in: keyspace)
                            }
                        }
                        return (entries.last?.key, entries.count)
                    }
                } catch let error as StorageError
                    where (error.code == .changeSetTooLarge || error.code == .conflict) && batchSize > 1
                {
                    // Too large for the store, or busy writers kept changing one of its records: fewer at a time.
                    batchSize /= 2
                    continue
                }
                done += batch.count
                batches += 1
                progress?(done, max(total, done))
                if batches == 1 { FailPoint.reach("rotate-mid-reseal") }
                guard batch.count == batchSize, let last = batch.last else { break }
                after = last
                batchSize = min(Self.rotationBatch, batchSize * 2)
            }
        }
        _ = try store.writeBlocking { w in
            try Self.requireKeyring(started.wrapped, in: w, meta: meta)
            return try w.delete(MetaKey.key(MetaKey.rotation), in: meta)
        }
        return (started.keyring, started.wrapped)
    }

    /// Stops a rotation whose keyring changed under it (a restore, a rekey, another client's rotation that
    /// started over): its re-sealed values would name a key the stored keyring may not hold. Reading the keyring
    /// also makes each batch conflict with such a change instead of committing over it.
    private static func requireKeyring(_ wrapped: [UInt8], in w: AnyStorageWriting, meta: Keyspace) throws {
        guard try w.get(MetaKey.key(MetaKey.keyring), in: meta) == wrapped else {
            throw CatalogError(
                .conflict,
                "the catalog's keyring changed while the data key was being rotated (a restore, a rekey or another "
                    + "rotation); every secret still opens — run rotate-key again to finish",
                details: ["reason": "keyring_changed"])
        }
    }

    /// Records re-sealed per commit at most (halved while a batch does not fit the store's commit or keeps
    /// conflicting with writers, doubled again after each batch that commits).
    static let rotationBatch = 120
}
