internal import CatalogStorage

/// The wrapped keyring and the master key's check value, as `meta` keeps them: what export, key rotation and
/// re-keying read before anything else.
struct StoredKeyMetadata {
    /// The keyring, wrapped by the master key (never plain).
    var wrappedKeyring: [UInt8]
    /// The master key's check value.
    var checkValue: [UInt8]

    /// Reads both entries from `meta` in `snapshot`.
    ///
    /// - Throws: `CatalogError` `.integrityError` when either is missing (the catalog cannot be opened or
    ///   re-keyed without them); what the storage throws.
    static func read(from snapshot: some StorageReading, meta: Database) throws -> StoredKeyMetadata {
        guard let wrapped = try snapshot.get(MetaKey.key(MetaKey.keyring), in: meta),
            let check = try snapshot.get(MetaKey.key(MetaKey.checkValue), in: meta)
        else {
            throw CatalogError(
                .integrityError, "the catalog's key metadata is missing; restore it from a verified backup")
        }
        return StoredKeyMetadata(wrappedKeyring: wrapped, checkValue: check)
    }
}
