internal import CatalogSealing
internal import CatalogStorage

/// The catalog's lookups, written once over any storage snapshot, shared by `CatalogReader` and `CatalogWriter`.
struct Queries<Storage: StorageReading> {
    let tx: Storage
    let catalog: Catalog

    var databases: CatalogDatabases { catalog.databases }

    func id(of name: ConnectionName, in workspace: WorkspaceName) throws -> ConnectionID? {
        try CatalogKeys.withNameKey(workspace: workspace, name: name) { key in
            try tx.withValue(forKeyBytes: key, in: databases.names) { bytes in
                guard let bytes else { return nil }
                return try CatalogKeys.id(fromRecordKey: NameIndexEntry.recordKey(of: bytes))
            }
        }
    }

    func connection(id: ConnectionID) throws -> Connection? {
        try CatalogKeys.withRecordKey(for: id) { key in
            try tx.withValue(forKeyBytes: key, in: databases.connections) { bytes in
                guard let bytes else { return nil }
                return try ConnectionRecord.decode(bytes)
            }
        }
    }

    func connection(named name: ConnectionName, in workspace: WorkspaceName) throws -> Connection? {
        guard let id = try id(of: name, in: workspace) else { return nil }
        guard let connection = try connection(id: id) else {
            throw CatalogError(
                .integrityError,
                "the name index points '\(name)' at a record that is missing; restore the catalog from a verified backup"
            )
        }
        return connection
    }

    /// The connections whose name keys start with the prefix and whose names pass `nameFilter` (tested on
    /// the index key alone, so records of names that do not match are never read or decoded).
    func list(
        in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?,
        nameFilter: ((UnsafeRawBufferPointer) -> Bool)? = nil
    ) throws -> [Connection] {
        try scan(in: workspace, prefix: prefix, nameFilter: nameFilter) { bytes in
            let connection = try ConnectionRecord.decode(bytes)
            return category == nil || connection.category == category ? connection : nil
        }
    }

    /// As `list`, decoding only what a listing shows.
    func summaries(
        in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?,
        nameFilter: ((UnsafeRawBufferPointer) -> Bool)? = nil
    ) throws -> [ConnectionSummary] {
        try scan(in: workspace, prefix: prefix, nameFilter: nameFilter) { bytes in
            let summary = try ConnectionRecord.decodeSummary(bytes)
            return category == nil || summary.category == category ? summary : nil
        }
    }

    /// `summaries` of the names that start with `prefix` and match `pattern`: the scan starts from the longer
    /// of `prefix` and the pattern's literal prefix.
    func summaries(
        in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?, matching pattern: NamePattern?
    ) throws -> [ConnectionSummary] {
        let (start, nameFilter) = Self.nameFilter(prefix: prefix, pattern: pattern)
        return try summaries(in: workspace, prefix: start, category: category, nameFilter: nameFilter)
    }

    /// Lends `body` what SHOW lists of each connection `summaries(in:prefix:category:matching:)` would return, in
    /// the same order, read from the name index alone: an entry that carries its listing (schema 4) costs no
    /// record lookup, and nothing is copied or built per row. An entry of the id alone is listed from its record.
    func forEachListing(
        in workspace: WorkspaceName, prefix: String, category: ConnectionCategory?, matching pattern: NamePattern?,
        _ body: (ConnectionListingView) throws -> Void
    ) throws {
        let (start, nameFilter) = Self.nameFilter(prefix: prefix, pattern: pattern)
        let keyPrefix = CatalogKeys.namePrefix(workspace: workspace, startingWith: start)
        let nameStart = workspace.rawValue.utf8.count + 1
        try tx.scan(databases.names, in: .prefix(keyPrefix)) { key, value in
            let name = UnsafeRawBufferPointer(rebasing: key[nameStart...])
            if let nameFilter, !nameFilter(name) { return true }
            if let listing = try NameIndexEntry.listing(of: value) {
                if category == nil || listing.type.category == category {
                    try body(ConnectionListingView(name: name, listing: listing))
                }
                return true
            }
            try withRecord(ofEntry: value) { bytes in
                try Self.withSummary(of: bytes, category: category) { summary in
                    try body(
                        ConnectionListingView(
                            name: name,
                            listing: .init(type: summary.type, enabled: summary.enabled, createdAt: summary.createdAt)))
                }
            }
            return true
        }
    }

    /// Where a scan for `prefix` and `pattern` starts (the longer of `prefix` and the pattern's literal prefix),
    /// and the test each name then passes; no test without a pattern.
    private static func nameFilter(
        prefix: String, pattern: NamePattern?
    ) -> (start: String, filter: ((UnsafeRawBufferPointer) -> Bool)?) {
        guard let pattern else { return (prefix, nil) }
        let literal = pattern.literalPrefix
        let required = Array(prefix.lowercased().utf8)
        return (
            literal.count > prefix.count ? literal : prefix,
            { name in name.starts(with: required) && pattern.matches(name) }
        )
    }

    /// Lends `body` the summary of the record in `bytes` when its category is `category` (any, with `nil`).
    private static func withSummary(
        of bytes: UnsafeRawBufferPointer, category: ConnectionCategory?, _ body: (ConnectionSummaryView) throws -> Void
    ) throws {
        let result: Result<Void, any Error> = try ConnectionRecord.withSummary(of: bytes) { summary in
            guard category == nil || summary.category == category else { return .success(()) }
            do { return .success(try body(summary)) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// Walks the name index of `workspace` from `prefix` in name order and decodes the record of each name that
    /// passes `nameFilter`; `decode` returns `nil` to leave a record out.
    private func scan<Item>(
        in workspace: WorkspaceName, prefix: String, nameFilter: ((UnsafeRawBufferPointer) -> Bool)?,
        decode: (UnsafeRawBufferPointer) throws -> Item?
    ) throws -> [Item] {
        var result: [Item] = []
        try visit(in: workspace, prefix: prefix, nameFilter: nameFilter) { bytes in
            if let item = try decode(bytes) { result.append(item) }
        }
        return result
    }

    /// Walks the name index of `workspace` from `prefix` in name order and lends `body` the stored record of
    /// each name that passes `nameFilter`.
    private func visit(
        in workspace: WorkspaceName, prefix: String, nameFilter: ((UnsafeRawBufferPointer) -> Bool)?,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let keyPrefix = CatalogKeys.namePrefix(workspace: workspace, startingWith: prefix)
        let nameStart = workspace.rawValue.utf8.count + 1
        try tx.scan(databases.names, in: .prefix(keyPrefix)) { key, entry in
            if let nameFilter, !nameFilter(UnsafeRawBufferPointer(rebasing: key[nameStart...])) { return true }
            try withRecord(ofEntry: entry, body)
            return true
        }
    }

    /// Lends `body` the stored record that name index entry `entry` points at. The entry starts with the record
    /// key itself: it is used as it lies in the map.
    private func withRecord(
        ofEntry entry: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void
    )
        throws
    {
        let recordKey = try NameIndexEntry.recordKey(of: entry)
        try tx.withValue(forKeyBytes: recordKey, in: databases.connections) { bytes in
            guard let bytes else {
                throw CatalogError(
                    .integrityError,
                    "the name index points at a missing record \(try CatalogKeys.id(fromRecordKey: recordKey));"
                        + " restore from a verified backup")
            }
            try body(bytes)
        }
    }

    func count() throws -> Int { try tx.count(of: databases.connections) }

    func history(of id: ConnectionID) throws -> [Connection] {
        guard let history = databases.history else { return [] }
        var versions: [Connection] = []
        try tx.scan(history, in: .prefix(id.bytes)) { _, value in
            versions.append(try ConnectionRecord.decode(value))
            return true
        }
        return versions
    }

    func storedKeyring() throws -> [UInt8]? { try tx.get(MetaKey.key(MetaKey.keyring), in: databases.meta) }

    // The secret lookups below take a non-generic body: generic ones would look up type metadata on every
    // call from another module, which costs about as much as the rest of the lookup.

    /// The connection's external ID in full, or `nil` if it has none.
    func externalID(of connection: Connection) throws -> String? {
        var text: String?
        _ = try withSecret(.externalID, of: connection) { text = String(decoding: $0, as: UTF8.self) }
        return text
    }

    /// Opens sealed field `field` of `connection` and lends its plaintext to `body`; `false` when the
    /// connection has no such field.
    func withSecret(
        _ field: PropertyKey, of connection: Connection, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Bool {
        guard let envelope = connection.sealedFields[field] else { return false }
        var workspace = connection.workspace.rawValue
        var id = (connection.id.high.bigEndian, connection.id.low.bigEndian)
        try envelope.withUnsafeBytes { envelope in
            try workspace.withUTF8 { workspace in
                try withUnsafeBytes(of: &id) { id in
                    try open(
                        field, envelope: envelope, workspace: UnsafeRawBufferPointer(workspace), connectionID: id,
                        connection: { connection.name.rawValue }, body)
                }
            }
        }
        return true
    }

    /// Opens sealed field `field` of the connection named `name` straight from its stored record, without
    /// decoding the rest of it, and lends the plaintext to `body`; `false` when there is no such connection
    /// or it has no such field. Nothing is copied to the heap on the way.
    func withSecret(
        _ field: PropertyKey, ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Bool {
        try withRecord(named: name, in: workspace) { bytes in
            let parts = try ConnectionRecord.locateSealedField(field, in: bytes)
            guard let envelope = parts.envelope else { return false }
            try open(
                field, envelope: UnsafeRawBufferPointer(rebasing: bytes[envelope]),
                workspace: UnsafeRawBufferPointer(rebasing: bytes[parts.workspace]),
                connectionID: UnsafeRawBufferPointer(rebasing: bytes[parts.id]), connection: { name.rawValue }, body)
            return true
        }
    }

    /// Lends `body` what DESC shows of the connection named `name`, straight from its stored record, and the
    /// plaintext of its EXTERNAL_ID (`nil` when it has none); `false` when there is no such connection.
    func withDetail(
        ofConnectionNamed name: ConnectionName, in workspace: WorkspaceName,
        _ body: (ConnectionDetailView, UnsafeRawBufferPointer?) throws -> Void
    ) throws -> Bool {
        try withRecord(named: name, in: workspace) { bytes in
            let result: Result<Void, any Error> = try ConnectionRecord.withDetail(of: bytes) { view in
                do {
                    guard let externalID = view.entry(.externalID, sealed: true) else {
                        return .success(try body(view, nil))
                    }
                    try open(
                        .externalID, envelope: externalID.value, workspace: view.summary.workspace,
                        connectionID: view.summary.id, connection: { name.rawValue }
                    ) { try body(view, $0) }
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            try result.get()
            return true
        }
    }

    /// Lends `body` the stored record of the connection named `name` as it lies in the map, and returns what
    /// `body` returns; `false` when there is no such connection.
    ///
    /// - Throws: `.integrityError` when the name index points at a record that is missing.
    private func withRecord(
        named name: ConnectionName, in workspace: WorkspaceName, _ body: (UnsafeRawBufferPointer) throws -> Bool
    ) throws -> Bool {
        guard let id = try id(of: name, in: workspace) else { return false }
        return try CatalogKeys.withRecordKey(for: id) { key in
            try tx.withValue(forKeyBytes: key, in: databases.connections) { bytes -> Bool in
                guard let bytes else {
                    throw CatalogError(
                        .integrityError,
                        "the name index points '\(name)' at a record that is missing; restore the catalog from a"
                            + " verified backup")
                }
                return try body(bytes)
            }
        }
    }

    /// Opens an envelope of field `field` for the place given by its parts. When the data key is unknown,
    /// another process may have rotated it: the keyring this snapshot holds is reloaded and tried once more.
    private func open(
        _ field: PropertyKey, envelope: UnsafeRawBufferPointer, workspace: UnsafeRawBufferPointer,
        connectionID: UnsafeRawBufferPointer, connection: () -> String, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var fieldName = field.rawValue
        try fieldName.withUTF8 { fieldName in
            try catalog.catalogID.withUnsafeBytes { catalogID in
                func attempt(with sealer: Sealer) throws {
                    try sealer.withOpened(
                        envelope: envelope, catalogID: catalogID, workspace: workspace, connectionID: connectionID,
                        fieldName: UnsafeRawBufferPointer(fieldName), body)
                }
                do {
                    try attempt(with: catalog.keys.sealer)
                } catch let error as SealingError where error.reason == .unknownKeyID {
                    let sealer = try catalog.keys.sealer(matching: storedKeyring())
                    do {
                        try attempt(with: sealer)
                    } catch let error as SealingError {
                        throw CatalogError.sealing(error, doing: "opening \(field) of connection '\(connection())'")
                    }
                } catch let error as SealingError {
                    throw CatalogError.sealing(error, doing: "opening \(field) of connection '\(connection())'")
                }
            }
        }
    }

    func setting(_ name: String) throws -> String? {
        try tx.get(MetaKey.key(MetaKey.setting(name)), in: databases.meta).map { String(decoding: $0, as: UTF8.self) }
    }

    func settings() throws -> [(name: String, value: String)] {
        try tx.entries(in: databases.meta, range: .prefix(Array(MetaKey.settingPrefix.utf8))).map { entry in
            (
                String(decoding: entry.key.dropFirst(MetaKey.settingPrefix.utf8.count), as: UTF8.self),
                String(decoding: entry.value, as: UTF8.self)
            )
        }
    }
}

extension Catalog {
    /// Where a sealed value lives: its additional data binds it to this catalog, workspace, connection id and field.
    func place(of field: PropertyKey, in connection: Connection) -> AdditionalData {
        AdditionalData(
            catalogID: catalogID, workspace: connection.workspace.rawValue, connectionID: connection.id.bytes,
            fieldName: field.rawValue)
    }
}
