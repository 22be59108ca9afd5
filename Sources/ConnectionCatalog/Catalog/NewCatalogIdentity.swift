internal import CatalogSealing
internal import Logging

/// What a new catalog is made with, whether it lives in LMDB or on another store: the master key, the first
/// keyring (wrapped, with its check value), a random catalog id, the passphrase parameters when the key is a
/// passphrase, and the creation time. Both creators write the same meta entries from it.
struct NewCatalogIdentity {
    let master: MasterKey
    let rewrap: KeyringRewrap
    let catalogID: [UInt8]
    let parameters: PassphraseParameters?
    let createdAt: Int64

    /// Resolves the master key (a new passphrase gets the options' parameters, or the defaults) and makes the
    /// first keyring and the id.
    init(keySource: MasterKeySource, options: Catalog.Options) throws(CatalogError) {
        var parameters: PassphraseParameters?
        if case .passphrase = keySource { parameters = options.passphraseParameters ?? PassphraseParameters() }
        self.parameters = parameters
        self.master = try Catalog.resolve(keySource, parameters: parameters, options: options)
        self.rewrap = KeyringRewrap.initial(master: master, logger: options.logger)
        self.catalogID = SecureRandom.bytes(count: 16)
        self.createdAt = Timestamp.nowMilliseconds()
    }

    /// The meta entries every new catalog has besides its id and its schema (which each creator writes its own
    /// way): the format, the wrapped keyring, the check value, the creation time, and the passphrase parameters.
    var metaEntries: [(key: String, value: [UInt8])] {
        var entries: [(key: String, value: [UInt8])] = [
            (MetaKey.format, BigEndian.bytes(UInt32(1))), (MetaKey.keyring, rewrap.wrappedKeyring),
            (MetaKey.checkValue, rewrap.checkValue),
            (MetaKey.createdAt, BigEndian.bytes(UInt64(bitPattern: createdAt))),
        ]
        if let parameters { entries.append((MetaKey.passphrase, parameters.bytes)) }
        return entries
    }

    /// The key state of the handle on the new catalog.
    var keys: KeyState { KeyState(master: master, wrappedKeyring: rewrap.wrappedKeyring, keyring: rewrap.keyring) }

    /// Logs the creation, with the id and the schema version only.
    func logCreated(schema: Int, to logger: Logger?) {
        logger?.notice(
            "created a catalog", metadata: ["catalog_id": "\(Hex.encode(catalogID))", "schema": "\(schema)"])
    }
}
