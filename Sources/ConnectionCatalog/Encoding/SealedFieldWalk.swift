/// The projection of `RecordFields` that works on sealed values: a record's identity (id, workspace, name,
/// version) and its sealed fields, one at a time, with the identity fields met so far (and, for verify, what the
/// name index lists of it).
///
/// The secret lookup, verify's first pass and key rotation each read a record this way, so none of them walks
/// the fields itself: every rule of the format is held by `RecordFields`, and each of them refuses exactly what
/// the full decode refuses. Like the walk, it allocates nothing.
struct SealedFieldWalk {
    /// The fields that name a record, as ranges into its bytes.
    struct Identity {
        var id: Range<Int>
        var workspace: Range<Int>
        var name: Range<Int>
        var version: UInt64
    }

    /// The identity fields of a walk as they come, for every projection that names the record it reads.
    struct IdentitySoFar {
        private(set) var id: Range<Int>?
        private(set) var workspace: Range<Int>?
        private(set) var name: Range<Int>?
        private(set) var version: UInt64?

        /// Keeps `field` if it is one of the identity fields, and says whether it was.
        mutating func take(_ field: RecordField) -> Bool {
            switch field {
            case .id(let range): id = range
            case .workspace(let range): workspace = range
            case .name(let range): name = range
            case .version(let value): version = value
            default: return false
            }
            return true
        }

        /// The whole identity, once the walk has ended: it ends only after every required field was seen.
        var complete: Identity { Identity(id: id!, workspace: workspace!, name: name!, version: version!) }
    }

    /// One sealed field: the range of its key (the field name as stored) and of its envelope.
    struct SealedField {
        var key: Range<Int>
        var envelope: Range<Int>
    }

    private var fields: RecordFields
    /// The identity fields met so far; all of them once `next()` has returned `nil`.
    private(set) var seen = IdentitySoFar()
    /// What the name index lists of the record (type, enabled, created time) as met so far; all of it once
    /// `next()` has returned `nil` (each field is required).
    private(set) var listing = NameIndexEntry.Listing(type: .oss, enabled: false, createdAt: 0)

    /// Starts a walk over the record in `bytes`; throws what `RecordFields.init` throws.
    init(_ bytes: UnsafeRawBufferPointer) throws(CatalogError) {
        fields = try RecordFields(bytes)
    }

    /// The next sealed field, or `nil` once the record has been walked and checked to its end.
    ///
    /// - Throws: what `RecordFields.next()` throws, for the first field that breaks a rule.
    mutating func next() throws(CatalogError) -> SealedField? {
        while let field = try fields.next() {
            guard !seen.take(field) else { continue }
            switch field {
            case .sealedField(let key, let value): return SealedField(key: key, envelope: value)
            case .type(let type): listing.type = type
            case .enabled(let enabled): listing.enabled = enabled
            case .createdAt(let createdAt): listing.createdAt = createdAt
            default: continue
            }
        }
        return nil
    }

    /// The record's identity, once `next()` has returned `nil`.
    var identity: Identity { seen.complete }

    /// Walks the record to its end, past any sealed field left, and returns its identity.
    mutating func finish() throws(CatalogError) -> Identity {
        while try next() != nil {}
        return identity
    }

    /// The bytes of `range`, borrowed from the record.
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer { fields.slice(range) }
}
