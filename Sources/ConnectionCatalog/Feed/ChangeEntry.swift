/// The bytes of one change-log entry (docs/format.md, "changes"): what `CatalogChange` holds except its
/// revision, which is where the entry sits (its key on LMDB, its commit revision on etcd).
///
/// `version (1) = 1 | kind (1) | connection id (16) | connection version (8, BE) | time (8, BE ms) |
/// workspace (1-byte length, UTF-8) | name (1-byte length) | previous name (1-byte length, 0 when none)`.
/// Names are at most 255 bytes, so one length byte holds them. A reader ignores bytes after the last field it
/// knows, so a newer writer may append fields.
enum ChangeEntry {
    static let formatVersion: UInt8 = 1

    /// The kinds by their stored code; codes are never reused.
    static let kindCodes: [CatalogChange.Kind: UInt8] = [
        .create: 1, .alter: 2, .rename: 3, .rotate: 4, .enable: 5, .disable: 6, .drop: 7,
    ]

    static func encode(
        _ kind: CatalogChange.Kind, of connection: Connection, previousName: ConnectionName?, at time: Int64
    ) -> [UInt8] {
        let workspace = connection.workspace.rawValue.utf8
        let name = connection.name.rawValue.utf8
        let previous = previousName?.rawValue.utf8
        // Written straight into one array: an entry is made for every write, so no temporary is built.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(37 + workspace.count + name.count + (previous?.count ?? 0))
        func append(_ value: UInt64) {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
        bytes.append(formatVersion)
        bytes.append(kindCodes[kind]!)
        append(connection.id.high)
        append(connection.id.low)
        append(connection.version)
        append(UInt64(bitPattern: time))
        bytes.append(UInt8(workspace.count))
        bytes.append(contentsOf: workspace)
        bytes.append(UInt8(name.count))
        bytes.append(contentsOf: name)
        bytes.append(UInt8(previous?.count ?? 0))
        if let previous { bytes.append(contentsOf: previous) }
        return bytes
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
        guard let kind = kindCodes.first(where: { $0.value == bytes[1] })?.key else {
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
