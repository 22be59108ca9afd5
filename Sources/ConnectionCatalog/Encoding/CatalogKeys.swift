/// The byte keys under which the catalog stores connections; LMDB orders them bytewise.
///
/// - Record key: the 16 id bytes.
/// - Name index key: workspace | 0x00 | name, both lower case. Names never contain 0x00, so the separator
///   keeps workspaces apart and a cursor over one workspace's prefix yields its names in name order.
///   255 + 1 + 255 = 511 bytes, exactly LMDB's default key limit.
public enum CatalogKeys {
    /// The key of a connection's record.
    public static func recordKey(for id: ConnectionID) -> [UInt8] {
        id.bytes
    }

    /// The id in a record key.
    ///
    /// - Throws: `CatalogError` `.integrityError` if the key is not 16 bytes.
    public static func id(fromRecordKey key: some Collection<UInt8>) throws(CatalogError) -> ConnectionID {
        guard let id = ConnectionID(bytes: key) else { throw RecordReader.corrupt("record key is not 16 bytes") }
        return id
    }

    /// The name index key of `name` in `workspace`.
    public static func nameKey(workspace: WorkspaceName, name: ConnectionName) -> [UInt8] {
        // Both names are stored lower case already: copy their bytes as they are.
        var key = [UInt8]()
        key.reserveCapacity(workspace.rawValue.utf8.count + 1 + name.rawValue.utf8.count)
        key.append(contentsOf: workspace.rawValue.utf8)
        key.append(0)
        key.append(contentsOf: name.rawValue.utf8)
        return key
    }

    /// The prefix shared by the name keys in `workspace` whose names start with `prefix` (matched without case).
    public static func namePrefix(workspace: WorkspaceName, startingWith prefix: String = "") -> [UInt8] {
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
    public static func names(
        fromNameKey key: some Collection<UInt8>
    ) throws(CatalogError) -> (workspace: WorkspaceName, name: ConnectionName) {
        let bytes = Array(key)
        guard let separator = bytes.firstIndex(of: 0) else { throw RecordReader.corrupt("name key has no separator") }
        let workspaceText = String(decoding: bytes[..<separator], as: UTF8.self)
        let nameText = String(decoding: bytes[(separator + 1)...], as: UTF8.self)
        do {
            return (try WorkspaceName(workspaceText, quoted: true), try ConnectionName(nameText, quoted: true))
        } catch {
            throw CatalogError(
                .integrityError, "name index key is damaged; restore the catalog from a verified backup",
                details: ["reason": "invalid name in name key"], underlying: error)
        }
    }
}
