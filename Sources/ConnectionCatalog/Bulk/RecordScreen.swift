internal import CatalogSealing

/// The first pass of `Catalog.checkRecords`: every check the detailed pass makes, run on every core and keeping
/// nothing per record, so that it only says whether anything is wrong.
///
/// Each record is walked by the record format's one walker (`RecordFields`, so it refuses exactly what the full
/// decode refuses), its key held to its id (and version), and each sealed value opened in place; the name index
/// and the current records are compared through a `NameIndexDigest` each. A catalog that passes has no problem the
/// detailed pass would report; one that does not is handed to the detailed pass, which names every problem.
struct RecordScreen {
    /// What a part of the records (or of the name index) came to.
    struct Tally {
        var records = 0
        var connections = 0
        var names = 0
        var sealedValues = 0
        /// Whether something is wrong; the detailed pass says what.
        var damaged = false
        /// The triples of the current records.
        var recordNames = NameIndexDigest()
        /// The triples of the name index.
        var indexNames = NameIndexDigest()

        mutating func merge(_ other: Tally) {
            records += other.records
            connections += other.connections
            names += other.names
            sealedValues += other.sealedValues
            damaged = damaged || other.damaged
            recordNames.merge(other.recordNames)
            indexNames.merge(other.indexNames)
        }

        /// Whether the pass found nothing wrong: no damaged record or entry, and the index names exactly the
        /// current records.
        var isClean: Bool { !damaged && recordNames == indexNames }
    }

    let catalogID: [UInt8]
    let sealer: Sealer

    /// Checks one record of `connections` (`isCurrent`) or `history`, as the detailed pass does.
    func screenRecord(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, isCurrent: Bool, into tally: inout Tally
    ) {
        tally.records += 1
        if isCurrent { tally.connections += 1 }
        do {
            if try !screen(key: key, value: value, isCurrent: isCurrent, into: &tally) { tally.damaged = true }
        } catch {
            tally.damaged = true
        }
    }

    /// Checks one entry of the name index (`workspace 0x00 name` → 16-byte id), as the detailed pass reads it.
    func screenNameEntry(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, into tally: inout Tally) {
        tally.names += 1
        guard value.count == ConnectionID.byteCount, let separator = key.firstIndex(of: 0) else {
            tally.damaged = true
            return
        }
        let workspace = UnsafeRawBufferPointer(rebasing: key[..<separator])
        let name = UnsafeRawBufferPointer(rebasing: key[(separator + 1)...])
        guard Identifier.isStoredForm(workspace), Identifier.isStoredForm(name) else {
            tally.damaged = true
            return
        }
        tally.indexNames.add(id: value, workspace: workspace, name: name)
    }

    /// Whether the record passes; throws what the walk or an open throws.
    private func screen(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, isCurrent: Bool, into tally: inout Tally
    ) throws -> Bool {
        var fields = try RecordFields(value)
        var id: Range<Int>?
        var workspace: Range<Int>?
        var name: Range<Int>?
        var version: UInt64?
        // A sealed field met before the id and the workspace (a writer emits them first) is opened by a second walk.
        var deferred = false
        while let field = try fields.next() {
            switch field {
            case .id(let range): id = range
            case .workspace(let range): workspace = range
            case .name(let range): name = range
            case .version(let value): version = value
            case .sealedField(let fieldName, let envelope):
                if let id, let workspace {
                    try open(envelope, fieldName, id: id, workspace: workspace, in: fields)
                    tally.sealedValues += 1
                } else {
                    deferred = true
                }
            default: continue
            }
        }
        // The walk ends only once every required field was seen.
        guard let id, let workspace, let name, let version else { return false }
        // The detailed pass opens values for the workspace as decoded, lower case; a stored one in another case
        // (which no writer makes) is left to it.
        guard !fields.slice(workspace).contains(where: ASCII.isUpper) else { return false }
        if deferred {
            var again = try RecordFields(value)
            while let field = try again.next() {
                guard case .sealedField(let fieldName, let envelope) = field,
                    envelope.lowerBound < id.lowerBound || envelope.lowerBound < workspace.lowerBound
                else { continue }
                try open(envelope, fieldName, id: id, workspace: workspace, in: again)
                tally.sealedValues += 1
            }
        }
        let idBytes = fields.slice(id)
        let expectedKeyLength = isCurrent ? ConnectionID.byteCount : ConnectionID.byteCount + 8
        guard key.count == expectedKeyLength,
            UnsafeRawBufferPointer(rebasing: key[..<ConnectionID.byteCount]).elementsEqual(idBytes)
        else { return false }
        if isCurrent {
            tally.recordNames.add(id: idBytes, workspace: fields.slice(workspace), name: fields.slice(name))
        } else if BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[ConnectionID.byteCount...])) != version {
            return false
        }
        return true
    }

    private func open(
        _ envelope: Range<Int>, _ fieldName: Range<Int>, id: Range<Int>, workspace: Range<Int>, in fields: RecordFields
    ) throws {
        try catalogID.withUnsafeBytes { catalogID in
            try sealer.withOpened(
                envelope: fields.slice(envelope), catalogID: catalogID, workspace: fields.slice(workspace),
                connectionID: fields.slice(id), fieldName: fields.slice(fieldName)
            ) { _ in }
        }
    }
}
