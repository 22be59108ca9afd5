package import CatalogSealing

/// The first pass of `Catalog.checkRecords`: every check the detailed pass makes, run on every core and keeping
/// nothing per record, so that it only says whether anything is wrong.
///
/// Each record is walked by the record format's one walker (`SealedFieldWalk` over `RecordFields`, so it refuses
/// exactly what the full decode refuses), its key held to its id (and version), and each sealed value opened in
/// place; the name index and the current records are compared through a `NameIndexDigest` each. A catalog that passes has no problem the
/// detailed pass would report; one that does not is handed to the detailed pass, which names every problem.
package struct RecordScreen: Sendable {
    /// What a part of the records (or of the name index) came to.
    package struct Tally: Sendable {
        package var records = 0
        package var connections = 0
        package var names = 0
        package var sealedValues = 0
        /// Whether something is wrong; the detailed pass says what.
        package var damaged = false
        /// The triples of the current records.
        var recordNames = NameIndexDigest()
        /// The triples of the name index.
        var indexNames = NameIndexDigest()
        /// What the current records would be listed as, by id.
        var recordListings = NameIndexDigest()
        /// What the name index lists, by id, of its entries that carry a listing.
        var indexListings = NameIndexDigest()
        /// Entries of the id alone (written before schema 4): their listing is checked by the detailed pass.
        var namesWithoutListing = 0

        package init() {}

        mutating func merge(_ other: Tally) {
            records += other.records
            connections += other.connections
            names += other.names
            sealedValues += other.sealedValues
            damaged = damaged || other.damaged
            recordNames.merge(other.recordNames)
            indexNames.merge(other.indexNames)
            recordListings.merge(other.recordListings)
            indexListings.merge(other.indexListings)
            namesWithoutListing += other.namesWithoutListing
        }

        /// Whether the pass found nothing wrong: no damaged record or entry, the index names exactly the current
        /// records and lists each as its record says. An index with entries of the id alone is left to the
        /// detailed pass, which compares listings by id.
        var isClean: Bool {
            !damaged && recordNames == indexNames && namesWithoutListing == 0 && recordListings == indexListings
        }
    }

    let catalogID: [UInt8]
    let sealer: Sealer

    /// A screen of the records of the catalog `catalogID` (16 bytes), whose sealed values `sealer` opens.
    package init(catalogID: [UInt8], sealer: Sealer) {
        self.catalogID = catalogID
        self.sealer = sealer
    }

    /// Checks one record of `connections` (`isCurrent`) or `history`, as the detailed pass does.
    package func screenRecord(
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

    /// Checks one entry of the name index (`workspace 0x00 name` → id, then its listing), as the detailed pass
    /// reads it.
    func screenNameEntry(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, into tally: inout Tally) {
        tally.names += 1
        let id: UnsafeRawBufferPointer
        let listing: NameIndexEntry.Listing?
        do {
            id = try NameIndexEntry.recordKey(of: value)
            listing = try NameIndexEntry.listing(of: value)
        } catch {
            tally.damaged = true
            return
        }
        guard let separator = key.firstIndex(of: 0) else {
            tally.damaged = true
            return
        }
        if let listing {
            tally.indexListings.add(id: id, listing: listing)
        } else {
            tally.namesWithoutListing += 1
        }
        let workspace = UnsafeRawBufferPointer(rebasing: key[..<separator])
        let name = UnsafeRawBufferPointer(rebasing: key[(separator + 1)...])
        guard Identifier.isStoredForm(workspace), Identifier.isStoredForm(name) else {
            tally.damaged = true
            return
        }
        tally.indexNames.add(id: id, workspace: workspace, name: name)
    }

    /// Whether the record passes; throws what the walk or an open throws.
    private func screen(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, isCurrent: Bool, into tally: inout Tally
    ) throws -> Bool {
        var walk = try SealedFieldWalk(value)
        // A sealed field met before the id and the workspace (a writer emits them first) is opened by a second walk.
        var deferred = false
        while let field = try walk.next() {
            if let id = walk.seen.id, let workspace = walk.seen.workspace {
                try open(field, id: id, workspace: workspace, in: walk)
                tally.sealedValues += 1
            } else {
                deferred = true
            }
        }
        let identity = walk.identity
        // The detailed pass opens values for the workspace as decoded, lower case; a stored one in another case
        // (which no writer makes) is left to it.
        guard !walk.slice(identity.workspace).contains(where: ASCII.isUpper) else { return false }
        if deferred {
            var again = try SealedFieldWalk(value)
            while let field = try again.next() {
                let envelope = field.envelope.lowerBound
                guard envelope < identity.id.lowerBound || envelope < identity.workspace.lowerBound else { continue }
                try open(field, id: identity.id, workspace: identity.workspace, in: again)
                tally.sealedValues += 1
            }
        }
        let idBytes = walk.slice(identity.id)
        let expectedKeyLength = isCurrent ? ConnectionID.byteCount : ConnectionID.byteCount + 8
        guard key.count == expectedKeyLength,
            UnsafeRawBufferPointer(rebasing: key[..<ConnectionID.byteCount]).elementsEqual(idBytes)
        else { return false }
        if isCurrent {
            tally.recordNames.add(
                id: idBytes, workspace: walk.slice(identity.workspace), name: walk.slice(identity.name))
            tally.recordListings.add(id: idBytes, listing: walk.listing)
        } else if BigEndian.uint64(UnsafeRawBufferPointer(rebasing: key[ConnectionID.byteCount...]))
            != identity.version
        {
            return false
        }
        return true
    }

    private func open(
        _ field: SealedFieldWalk.SealedField, id: Range<Int>, workspace: Range<Int>, in walk: SealedFieldWalk
    ) throws {
        try catalogID.withUnsafeBytes { catalogID in
            try sealer.withOpened(
                envelope: walk.slice(field.envelope), catalogID: catalogID, workspace: walk.slice(workspace),
                connectionID: walk.slice(id), fieldName: walk.slice(field.key)
            ) { _ in }
        }
    }
}
