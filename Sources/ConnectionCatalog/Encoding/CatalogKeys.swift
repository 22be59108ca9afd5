/// The byte keys under which the catalog stores connections; LMDB orders them bytewise.
///
/// - Record key: the 16 id bytes.
/// - Name index key: workspace | 0x00 | name, both lower case. Names never contain 0x00, so the separator
///   keeps workspaces apart and a cursor over one workspace's prefix yields its names in name order.
///   255 + 1 + 255 = 511 bytes, exactly LMDB's default key limit.
///
/// Each layout is written once, by the `with…Key` functions, which build the key on the stack (lookups run
/// them on every DESC); the array forms copy what they lend.
package enum CatalogKeys {
    /// The key of a connection's record.
    package static func recordKey(for id: ConnectionID) -> [UInt8] {
        withRecordKey(for: id) { Array($0) }
    }

    /// Lends the record key of `id` to `body`, built on the stack.
    static func withRecordKey<R>(for id: ConnectionID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var key = (id.high.bigEndian, id.low.bigEndian)
        return try withUnsafeBytes(of: &key, body)
    }

    /// Lends the name index key of `name` in `workspace` to `body`, built on the stack.
    static func withNameKey<R>(
        workspace: WorkspaceName, name: ConnectionName, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        // Both names are stored lower case already: their bytes are copied as they are.
        var workspaceText = workspace.rawValue
        var nameText = name.rawValue
        return try workspaceText.withUTF8 { workspaceBytes in
            try nameText.withUTF8 { nameBytes in
                let count = workspaceBytes.count + 1 + nameBytes.count
                return try withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { key in
                    key.copyMemory(from: UnsafeRawBufferPointer(workspaceBytes))
                    key[workspaceBytes.count] = 0
                    UnsafeMutableRawBufferPointer(rebasing: key[(workspaceBytes.count + 1)...])
                        .copyMemory(from: UnsafeRawBufferPointer(nameBytes))
                    return try body(UnsafeRawBufferPointer(key))
                }
            }
        }
    }

    /// The id in a record key.
    ///
    /// - Throws: `CatalogError` `.integrityError` if the key is not 16 bytes.
    package static func id(fromRecordKey key: some Collection<UInt8>) throws(CatalogError) -> ConnectionID {
        guard let id = ConnectionID(bytes: key) else { throw RecordReader.corrupt("record key is not 16 bytes") }
        return id
    }

    /// The name index key of `name` in `workspace`.
    package static func nameKey(workspace: WorkspaceName, name: ConnectionName) -> [UInt8] {
        withNameKey(workspace: workspace, name: name) { Array($0) }
    }

    /// The prefix shared by the name keys in `workspace` whose names start with `prefix` (matched without case).
    package static func namePrefix(workspace: WorkspaceName, startingWith prefix: String = "") -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(workspace.rawValue.utf8.count + 1 + prefix.utf8.count)
        key.append(contentsOf: workspace.rawValue.utf8)
        key.append(0)
        key.append(contentsOf: prefix.utf8.lazy.map(ASCII.lowercased))
        return key
    }

    /// The workspace and name in a name index key.
    ///
    /// - Throws: `CatalogError` `.integrityError` if the key has no separator or either part is not a valid name.
    package static func names(
        fromNameKey key: some Collection<UInt8>
    ) throws(CatalogError) -> (workspace: WorkspaceName, name: ConnectionName) {
        let bytes = Array(key)
        guard let separator = bytes.firstIndex(of: 0) else { throw RecordReader.corrupt("name key has no separator") }
        let workspaceText = String(decoding: bytes[..<separator], as: UTF8.self)
        let nameText = String(decoding: bytes[(separator + 1)...], as: UTF8.self)
        do {
            return (try WorkspaceName(workspaceText), try ConnectionName(nameText))
        } catch {
            throw CatalogError(
                .integrityError, "name index key is damaged; restore the catalog from a verified backup",
                details: ["reason": "invalid name in name key"], underlying: error)
        }
    }
}
