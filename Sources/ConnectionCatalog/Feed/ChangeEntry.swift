/// The bytes of one change-log entry (docs/format.md, "changes"): what `CatalogChange` holds except its
/// revision, which is where the entry sits (its key on LMDB, its commit revision on etcd).
///
/// `version (1) = 1 | kind (1) | connection id (16) | connection version (8, BE) | time (8, BE ms) |
/// workspace (1-byte length, UTF-8) | name (1-byte length) | previous name (1-byte length, 0 when none)`.
/// Names are at most 255 bytes, so one length byte holds them. A reader ignores bytes after the last field it
/// knows, so a newer writer may append fields.
enum ChangeEntry {
    static let formatVersion: UInt8 = 1

    /// The stored code of `kind`; codes are never reused.
    static func code(of kind: CatalogChange.Kind) -> UInt8 {
        switch kind {
        case .create: 1
        case .alter: 2
        case .rename: 3
        case .rotate: 4
        case .enable: 5
        case .disable: 6
        case .drop: 7
        }
    }

    static func encode(
        _ kind: CatalogChange.Kind, of connection: Connection, previousName: ConnectionName?, at time: Int64
    ) -> [UInt8] {
        var workspace = connection.workspace.rawValue
        var name = connection.name.rawValue
        var previous = previousName?.rawValue ?? ""
        let count = 37 + workspace.utf8.count + name.utf8.count + previous.utf8.count
        // Written straight into one array of its exact size: an entry is made for every write.
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            var position = 0
            func put(_ byte: UInt8) {
                out[position] = byte
                position += 1
            }
            func put(_ value: UInt64) {
                out.storeBytes(of: value.bigEndian, toByteOffset: position, as: UInt64.self)
                position += 8
            }
            func put(text: inout String) {
                text.withUTF8 { utf8 in
                    put(UInt8(utf8.count))
                    UnsafeMutableRawBufferPointer(rebasing: out[position..<(position + utf8.count)])
                        .copyMemory(from: UnsafeRawBufferPointer(utf8))
                    position += utf8.count
                }
            }
            put(formatVersion)
            put(code(of: kind))
            put(connection.id.high)
            put(connection.id.low)
            put(connection.version)
            put(UInt64(bitPattern: time))
            put(text: &workspace)
            put(text: &name)
            put(text: &previous)
            precondition(position == count, "a change-log entry is written to its exact size")
            initialized = count
        }
    }

    /// The change an entry tells, placed at `revision`.
    ///
    /// - Throws: `CatalogError` `.integrityError` when the entry is cut short, of an unknown version or kind, or
    ///   names an invalid name.
    static func decode(_ bytes: some Collection<UInt8>, revision: UInt64) throws(CatalogError) -> CatalogChange {
        let bytes = Array(bytes)
        guard bytes.count >= 37, bytes[0] == formatVersion else {
            throw damaged("entry at revision \(revision) is too short or of an unknown version")
        }
        guard let kind = CatalogChange.Kind.allCases.first(where: { code(of: $0) == bytes[1] }) else {
            throw damaged("entry at revision \(revision) has an unknown kind \(bytes[1])")
        }
        guard let id = ConnectionID(bytes: bytes[2..<18]), let version = BigEndian.uint64(bytes[18..<26]),
            let time = BigEndian.uint64(bytes[26..<34])
        else { throw damaged("entry at revision \(revision) is damaged") }
        var position = 34
        var texts: [String] = []
        for _ in 0..<3 {
            guard position < bytes.count, position + 1 + Int(bytes[position]) <= bytes.count else {
                throw damaged("entry at revision \(revision) is cut short")
            }
            let length = Int(bytes[position])
            texts.append(String(decoding: bytes[(position + 1)..<(position + 1 + length)], as: UTF8.self))
            position += 1 + length
        }
        do {
            return CatalogChange(
                revision: revision, kind: kind, workspace: try WorkspaceName(texts[0]),
                name: try ConnectionName(texts[1]),
                previousName: texts[2].isEmpty ? nil : try ConnectionName(texts[2]), connectionID: id,
                version: version, changedAt: Int64(bitPattern: time))
        } catch {
            throw damaged("entry at revision \(revision) names an invalid workspace or connection")
        }
    }

    private static func damaged(_ what: String) -> CatalogError {
        CatalogError(
            .integrityError, "the change log is damaged: \(what); restore the catalog from a verified backup",
            details: ["reason": "damaged_change_log"])
    }
}
