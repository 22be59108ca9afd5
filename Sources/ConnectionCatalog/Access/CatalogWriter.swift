internal import CatalogSealing
internal import CatalogStorage

/// Write access to the catalog, lent by `Catalog.write` / `writeBlocking` (one storage write transaction) or by
/// `CatalogTransaction.step` (one step of an optimistic transaction). Not `Sendable`; use it only inside the
/// closure that received it. Everything it does commits together or not at all, and its reads see its own
/// changes. Values it generates (ids, external IDs, sealed bytes, times) are made once and committed as made.
public struct CatalogWriter {
    let tx: WriterStorage
    let catalog: Catalog
    let queries: Queries<WriterStorage>
    /// The sealer for the newest data key, read when the write began; `nil` on a store, whose write reads its
    /// keyring when it first seals (so that a create can fetch it with the name in one request).
    private let loadedSealer: Sealer?
    /// The random bytes of this write's ids, external IDs and nonces, drawn a block at a time.
    private let random = RandomReservoir()
    /// The LMDB change log's newest sequence number as this write left it, read at its first change.
    private let changeLogTail = ChangeLog.Tail()

    init(tx: WriterStorage, catalog: Catalog) throws {
        self.tx = tx
        self.catalog = catalog
        self.queries = Queries(tx: tx, catalog: catalog)
        // Seal with the newest data key this snapshot knows, even if another process rotated it.
        if case .store = tx {
            self.loadedSealer = nil
        } else {
            self.loadedSealer = try catalog.keys.sealer(matching: queries.storedKeyring())
        }
    }

    private var databases: CatalogDatabases { catalog.databases }

    // MARK: Reading inside the write

    /// The connection named `name` in `workspace`, or `nil`, as this transaction sees it.
    package func connection(
        named name: ConnectionName, in workspace: WorkspaceName = .default
    ) throws(CatalogError) -> Connection? {
        try writing { try queries.connection(named: name, in: workspace) }
    }

    /// The connections of `workspace` whose names start with `prefix`, in name order.
    package func connections(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil
    ) throws(CatalogError) -> [Connection] {
        try writing { try queries.list(in: workspace, prefix: prefix, category: category) }
    }

    /// What a listing shows of the connections of `workspace` whose names pass `nameMatches` (given each
    /// name's lower-case UTF-8 bytes before the record is read; `nil` takes all), in name order, without
    /// decoding their properties.
    package func summaries(
        in workspace: WorkspaceName = .default, prefix: String = "", category: ConnectionCategory? = nil,
        matching pattern: NamePattern? = nil
    ) throws(CatalogError) -> [ConnectionSummary] {
        try writing { try queries.summaries(in: workspace, prefix: prefix, category: category, matching: pattern) }
    }

    /// The earlier versions of the connection with id `id`, oldest first.
    package func history(of id: ConnectionID) throws(CatalogError) -> [Connection] {
        try writing { try queries.history(of: id) }
    }

    /// The connection's external ID in full.
    package func externalID(of connection: Connection) throws(CatalogError) -> String? {
        try writing { try queries.externalID(of: connection) }
    }

    /// The value of catalog setting `name`, as this transaction sees it.
    package func setting(_ name: String) throws(CatalogError) -> String? {
        try writing { try queries.setting(name) }
    }

    // MARK: Changes

    /// Creates a connection with a new id and a new external ID, after validating its properties.
    ///
    /// - Parameters:
    ///   - draft: the name, workspace, type, properties as typed, and comment.
    ///   - ifNotExists: when the name is taken, return `.alreadyExists` instead of throwing.
    /// - Throws: `CatalogError` — the validation codes (`missing_property`, `unknown_property`,
    ///   `duplicate_property`, `invalid_value`), `.alreadyExists`.
    @discardableResult
    public func create(_ draft: ConnectionDraft, ifNotExists: Bool = false) throws(CatalogError) -> CreateOutcome {
        var notices: [ValidationNotice] = []
        return try create(draft, ifNotExists: ifNotExists, notices: &notices)
    }

    /// Creates a connection like `create(_:ifNotExists:)`, adding to `notices` what validation let pass but a
    /// person should see (a REGION missing from the provider's published list). Nothing is added when IF NOT
    /// EXISTS met an existing connection.
    @discardableResult
    package func create(
        _ draft: ConnectionDraft, ifNotExists: Bool = false, notices: inout [ValidationNotice]
    ) throws(CatalogError)
        -> CreateOutcome
    {
        return try writing {
            let validated = try PropertyValidator.validateCreate(draft.properties, type: draft.type)
            let now = Timestamp.nowMilliseconds()
            var generator = random
            var connection = Connection(
                id: ConnectionID.generate(milliseconds: now, using: &generator), name: draft.name,
                workspace: draft.workspace, type: draft.type, properties: validated.properties, comment: draft.comment,
                creator: catalog.creator, createdAt: now)
            let nameKey = try nameKey(connection)
            if case .store = tx {
                // The name and the keyring in one round trip.
                try tx.prefetch([
                    StorageKey(nameKey, in: databases.names),
                    StorageKey(MetaKey.key(MetaKey.keyring), in: databases.meta),
                ])
            }
            // Claiming the name is the existence check: an insert that finds the name taken writes nothing.
            guard try tx.insert(nameEntry(connection), for: nameKey, in: databases.names) else {
                if ifNotExists, let existing = try queries.connection(named: draft.name, in: draft.workspace) {
                    return .alreadyExists(existing)
                }
                throw alreadyExists(draft.name)
            }
            let sealer = try sealer()
            for (field, secret) in validated.secrets {
                connection.sealedFields[field] = secret.withBytes { seal($0, field, of: connection, with: sealer) }
            }
            connection.sealedFields[.externalID] = newExternalID(for: connection, with: sealer)
            try store(connection)
            try logChange(.create, of: connection)
            notices += validated.notices
            return .created(connection)
        }
    }

    /// Applies one ALTER change to the connection named `name`.
    ///
    /// - Parameters:
    ///   - name: the connection to change.
    ///   - workspace: the workspace it is in.
    ///   - expectedVersion: when given, the change applies only if the connection is still at that version;
    ///     otherwise `.conflict`.
    ///   - change: what to change.
    /// - Throws: `CatalogError` `.notFound`, `.conflict`, or the validation codes for SET / UNSET.
    @discardableResult
    public func alter(
        _ name: ConnectionName, in workspace: WorkspaceName = .default, expectedVersion: UInt64? = nil,
        _ change: ConnectionChange
    ) throws(CatalogError) -> Connection {
        var notices: [ValidationNotice] = []
        return try alter(
            name, in: workspace, expectedVersion: expectedVersion, ConnectionEdit(change), notices: &notices)
    }

    /// Applies one ALTER change like `alter(_:in:expectedVersion:_:)`, adding to `notices` what validation let
    /// pass but a person should see (a REGION this change sets that is missing from the provider's published
    /// list).
    @discardableResult
    package func alter(
        _ name: ConnectionName, in workspace: WorkspaceName = .default, expectedVersion: UInt64? = nil,
        _ change: ConnectionEdit, notices: inout [ValidationNotice]
    ) throws(CatalogError) -> Connection {
        return try writing {
            let current = try existing(name, in: workspace, expectedVersion: expectedVersion)
            var next = current
            var found: [ValidationNotice] = []
            switch change {
            case .set(let assignments):
                let validated = try PropertyValidator.validateAlter(current, set: assignments, unset: [])
                next.properties = validated.properties
                found = validated.notices
                let sealer = try sealer()
                for (field, secret) in validated.secrets {
                    next.sealedFields[field] = secret.withBytes { seal($0, field, of: next, with: sealer) }
                }
            case .unset(let keys):
                let validated = try PropertyValidator.validateAlter(current, set: [], unset: keys)
                next.properties = validated.properties
                for field in validated.removedSecrets { next.sealedFields[field] = nil }
            case .comment(let comment):
                next.comment = comment
            case .enable:
                next.enabled = true
            case .disable:
                next.enabled = false
            }
            let replaced = try replace(current, with: next)
            switch change {
            case .enable: try logChange(.enable, of: replaced)
            case .disable: try logChange(.disable, of: replaced)
            case .set, .unset, .comment: try logChange(.alter, of: replaced)
            }
            notices += found
            return replaced
        }
    }

    /// Renames a connection, keeping its id, external ID and history.
    ///
    /// - Throws: `CatalogError` `.notFound` if `name` is unknown, `.alreadyExists` if `newName` is taken,
    ///   `.conflict` if `expectedVersion` does not match.
    @discardableResult
    public func rename(
        _ name: ConnectionName, to newName: ConnectionName, in workspace: WorkspaceName = .default,
        expectedVersion: UInt64? = nil
    ) throws(CatalogError) -> Connection {
        return try writing {
            let current = try existing(name, in: workspace, expectedVersion: expectedVersion)
            guard newName != name else { return current }
            var next = current
            next.name = newName
            guard try tx.insert(nameEntry(next), for: nameKey(next), in: databases.names) else {
                throw alreadyExists(newName)
            }
            try tx.delete(nameKey(current), in: databases.names)
            let renamed = try replace(current, with: next)
            try logChange(.rename, of: renamed, previousName: name)
            return renamed
        }
    }

    /// Replaces the connection's external ID with a new random one (ALTER … ROTATE EXTERNAL_ID).
    @discardableResult
    public func rotateExternalID(
        of name: ConnectionName, in workspace: WorkspaceName = .default, expectedVersion: UInt64? = nil
    ) throws(CatalogError) -> Connection {
        return try writing {
            let current = try existing(name, in: workspace, expectedVersion: expectedVersion)
            var next = current
            next.sealedFields[.externalID] = newExternalID(for: current, with: try sealer())
            let rotated = try replace(current, with: next)
            try logChange(.rotate, of: rotated)
            return rotated
        }
    }

    /// Drops a connection; its last version stays in history. A connection created later under the same
    /// name gets a new id and external ID.
    ///
    /// - Throws: `CatalogError` `.notFound`, `.conflict`.
    @discardableResult
    public func drop(
        _ name: ConnectionName, in workspace: WorkspaceName = .default, expectedVersion: UInt64? = nil
    )
        throws(CatalogError) -> Connection
    {
        return try writing {
            let current = try existing(name, in: workspace, expectedVersion: expectedVersion)
            try keepInHistory(current)
            try tx.delete(nameKey(current), in: databases.names)
            try tx.delete(RecordKey(CatalogKeys.recordKey(for: current.id)), in: databases.connections)
            try logChange(.drop, of: current)
            return current
        }
    }

    /// Sets (or, with `nil`, removes) catalog setting `name`, one of `CatalogSetting.knownNames`.
    ///
    /// Removing an unknown setting that is stored (written by an older program that accepted any name) is
    /// allowed, so such a leftover can be cleaned up.
    ///
    /// - Throws: `.invalidValue` if `name` is not lower-case letters, digits, `_` and `.`, or names no known
    ///   setting (`details["setting"]`, `details["known"]` comma-separated, and `details["suggestion"]` when a
    ///   known name is near).
    package func setSetting(_ name: String, to value: String?) throws(CatalogError) {
        try writing {
            guard !name.isEmpty, name.count <= 200,
                name.utf8.allSatisfy({
                    ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2E
                })
            else {
                throw CatalogError(
                    .invalidValue,
                    "a setting name is lower-case letters, digits, '_' and '.', such as 'trust.aws.principal'")
            }
            let key = MetaKey.key(MetaKey.setting(name))
            let isStored = value == nil ? try tx.get(key, in: databases.meta) != nil : false
            if !CatalogSetting.isKnown(name), value != nil || !isStored {
                var details = ["setting": name, "known": CatalogSetting.knownNames.joined(separator: ",")]
                if let suggestion = CatalogSetting.nearest(to: name) { details["suggestion"] = suggestion }
                throw CatalogError(.invalidValue, "'\(name)' is not a catalog setting", details: details)
            }
            if let value {
                try tx.put(Array(value.utf8), for: key, in: databases.meta)
            } else {
                try tx.delete(key, in: databases.meta)
            }
        }
    }

    /// Runs `change` on the connection named `name`, or, when `ifExists` and there is none, returns `nil` (IF
    /// EXISTS). The change's own lookup is the existence check, so nothing is read twice.
    package func ifExists<R>(
        _ name: ConnectionName, in workspace: WorkspaceName, when ifExists: Bool, _ change: () throws -> R
    ) throws(CatalogError) -> R? {
        do {
            return try change()
        } catch let error as CatalogError where ifExists && error.isConnectionNotFound(name, in: workspace) {
            return nil
        } catch {
            throw .fromBody(error, doing: "writing the catalog")
        }
    }

    // MARK: Helpers

    private func existing(
        _ name: ConnectionName, in workspace: WorkspaceName, expectedVersion: UInt64?
    ) throws
        -> Connection
    {
        guard let current = try queries.connection(named: name, in: workspace) else {
            throw CatalogError.connectionNotFound(name, in: workspace)
        }
        if let expectedVersion, expectedVersion != current.version {
            throw CatalogError(
                .conflict,
                "connection '\(name)' changed since it was read (it is at version \(current.version), not \(expectedVersion)); "
                    + "read it again and retry",
                details: ["name": name.rawValue, "expected": "\(expectedVersion)", "actual": "\(current.version)"])
        }
        return current
    }

    /// Writes `next` over `current`: the previous version goes to history, the version grows by one.
    private func replace(_ current: Connection, with next: Connection) throws -> Connection {
        var next = next
        next.version = current.version + 1
        next.modifiedAt = max(Timestamp.nowMilliseconds(), current.modifiedAt)
        try keepInHistory(current)
        try store(next)
        if next.name == current.name {
            // The entry is written with its connection, so an entry of the id alone (a store migrated to schema 4
            // in place) gains its listing; a rename has inserted the new name's entry already.
            try tx.put(nameEntry(next), for: nameKey(next), in: databases.names)
        }
        return next
    }

    private func store(_ connection: Connection) throws {
        try tx.put(
            ConnectionRecord.encode(connection), for: RecordKey(CatalogKeys.recordKey(for: connection.id)),
            in: databases.connections)
    }

    private func keepInHistory(_ connection: Connection) throws {
        guard let history = databases.history else { return }
        try tx.put(
            ConnectionRecord.encode(connection),
            for: RecordKey(connection.id.bytes + BigEndian.bytes(connection.version)), in: history)
    }

    /// Adds the change to the change log in this same write (`ChangeLog`): numbered now on LMDB's single writer;
    /// under a unique key elsewhere (a pending LMDB transaction's entries are numbered when it commits).
    private func logChange(
        _ kind: CatalogChange.Kind, of connection: Connection, previousName: ConnectionName? = nil
    )
        throws
    {
        guard let changes = databases.changes else { return }
        let now = Timestamp.nowMilliseconds()
        let entry = ChangeEntry.encode(kind, of: connection, previousName: previousName, at: now)
        switch tx {
        case .direct(let direct):
            try ChangeLog.append(
                entry, in: direct, databases: databases, retention: catalog.changeLogRetention, tail: changeLogTail)
        case .staged, .store:
            try tx.put(entry, for: ChangeLog.unsequencedKey(kind: kind, of: connection), in: changes)
        }
    }

    private func nameKey(_ connection: Connection) throws -> RecordKey {
        try RecordKey(CatalogKeys.nameKey(workspace: connection.workspace, name: connection.name))
    }

    /// The name index entry of `connection`, in the form this catalog's schema has.
    private func nameEntry(_ connection: Connection) -> [UInt8] {
        NameIndexEntry.value(for: connection, schemaVersion: catalog.schemaVersion)
    }

    /// The sealer for the newest data key this write's snapshot knows, even if another process rotated it.
    /// Runs one change or lookup and maps a storage or sealing failure into `CatalogError`, so that every
    /// method of the writer throws only that type; the original failure stays as `underlying`, where the
    /// storage layer still finds it (a conflict or an unavailable store it retries).
    private func writing<R>(_ work: () throws -> R) throws(CatalogError) -> R {
        do { return try work() } catch { throw .fromBody(error, doing: "writing the catalog") }
    }

    private func sealer() throws -> Sealer {
        if let loadedSealer { return loadedSealer }
        return try catalog.keys.sealer(matching: queries.storedKeyring())
    }

    private func seal(
        _ plaintext: UnsafeRawBufferPointer, _ field: PropertyKey, of connection: Connection, with sealer: Sealer
    ) -> [UInt8] {
        sealer.seal(plaintext, for: catalog.place(of: field, in: connection), random: random).bytes
    }

    /// 16 characters of `[A-Za-z0-9]` from libsodium's random source, sealed at once: the plaintext never
    /// leaves the sealing layer.
    private func newExternalID(for connection: Connection, with sealer: Sealer) -> [UInt8] {
        sealer.sealNewAlphanumeric(count: 16, for: catalog.place(of: .externalID, in: connection), random: random)
            .bytes
    }

    private func alreadyExists(_ name: ConnectionName) -> CatalogError {
        CatalogError(
            .alreadyExists, "connection '\(name)' already exists", details: ["name": name.rawValue])
    }
}

/// Lent to one closure on one thread: its storage write transaction must not cross to another.
@available(*, unavailable)
extension CatalogWriter: Sendable {}
