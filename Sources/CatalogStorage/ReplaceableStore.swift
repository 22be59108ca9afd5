/// A store that can build a whole new state of its keyspaces beside the live one, in as many bounded commits as
/// it takes, and then make it live in one atomic step: how work larger than one commit (an import, a restore)
/// stays invisible to readers until it is complete (etcd: a new generation and one pointer key).
///
/// Killed at any moment, the live state is untouched until the switch and whole after it; what a killed
/// replacement left behind is removed by the next one.
public protocol ReplaceableStore: AnyObject, Sendable {
    /// Starts a replacement: removes what earlier unfinished replacements left, fixes the base (the live state
    /// as of now) and marks a new, empty state being built.
    ///
    /// - Throws: `StorageError` `.conflict` if the live state was switched meanwhile; `.unavailable`.
    func beginReplacement() throws -> any StoreReplacement
}

/// A new state of a store's keyspaces being built (`ReplaceableStore`). One thread uses it.
public protocol StoreReplacement: AnyObject {
    /// The most entries one `put` commit holds; callers may pass more, the replacement splits them.
    var entriesPerCommit: Int { get }

    /// Runs `body` on the live state as it was when the replacement began (every read at that one moment).
    func readBase(_ body: (AnyStorageReading) throws -> Void) throws

    /// Adds `entries` to the new state, in bounded commits; none of it is visible until `publish`.
    ///
    /// - Throws: `StorageError` `.conflict` if another replacement removed this one (it began later).
    func put(_ entries: [ReplacementEntry]) throws

    /// Removes `keys` from the new state, in bounded commits.
    ///
    /// - Throws: `StorageError` `.conflict` if another replacement removed this one.
    func delete(_ keys: [(keyspace: Keyspace, key: [UInt8])]) throws

    /// Makes the new state live in one atomic step, and removes the state it replaces.
    ///
    /// - Parameter requireUnchangedBase: when the new state was derived from the base (an import), switch only if
    ///   nothing was committed to the live state since the base, else return `false` having changed nothing
    ///   (catch up with `advanceBase`, then publish again); when it replaces the live state outright (a
    ///   restore), switch regardless.
    /// - Parameter changes: entries to put into (value set) or remove from (value nil) the new state first — in
    ///   the switching step itself when they fit it, so that a catch-up leaves other clients no window.
    /// - Returns: whether the new state is live.
    /// - Throws: `StorageError` `.conflict` if another replacement switched first or removed this one.
    @discardableResult
    func publish(requireUnchangedBase: Bool, carrying changes: [ReplacementChange]) throws -> Bool

    /// What was committed to the live state since the base, as of a newer moment that becomes the base: every
    /// entry of `keyspaces` put since (with its value now) and every key removed since (`value` nil), found
    /// among `baseKeys`, the keys each keyspace held at the base.
    ///
    /// - Throws: `StorageError` `.conflict` if another replacement switched the live state meanwhile.
    func advanceBase(keyspaces: [Keyspace], baseKeys: (Keyspace) -> Set<[UInt8]>) throws -> [ReplacementChange]

    /// Removes what this replacement wrote, when the work behind it failed; best effort (whatever stays is
    /// removed by the next replacement). Never touches the live state.
    func abandon()
}

extension StoreReplacement {
    /// `publish(requireUnchangedBase:carrying:)` with nothing to carry.
    @discardableResult
    public func publish(requireUnchangedBase: Bool) throws -> Bool {
        try publish(requireUnchangedBase: requireUnchangedBase, carrying: [])
    }
}

/// One entry of a state being built.
public struct ReplacementEntry: Sendable {
    public var keyspace: Keyspace
    public var key: [UInt8]
    public var value: [UInt8]

    public init(keyspace: Keyspace, key: [UInt8], value: [UInt8]) {
        self.keyspace = keyspace
        self.key = key
        self.value = value
    }
}

/// An entry of the live state changed since a replacement's base: its value now, or `nil` when it was removed.
public struct ReplacementChange: Sendable {
    public var keyspace: Keyspace
    public var key: [UInt8]
    public var value: [UInt8]?

    public init(keyspace: Keyspace, key: [UInt8], value: [UInt8]?) {
        self.keyspace = keyspace
        self.key = key
        self.value = value
    }
}
