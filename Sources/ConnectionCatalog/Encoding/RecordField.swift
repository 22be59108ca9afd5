/// One field of a connection record as `RecordFields` hands it out: already held to its tag's rules
/// (`docs/format.md`), with ranges into the record's bytes, so that each reader copies only what it keeps.
enum RecordField {
    /// The 16 id bytes.
    case id(Range<Int>)
    /// A stored identifier (1 to 255 ASCII letters, digits and underscores).
    case workspace(Range<Int>)
    /// A stored identifier, as for `workspace`.
    case name(Range<Int>)
    case type(ConnectionType)
    /// A non-empty ASCII key and a UTF-8 value.
    case property(key: Range<Int>, value: Range<Int>)
    /// A non-empty ASCII key and the sealing envelope's bytes.
    case sealedField(key: Range<Int>, value: Range<Int>)
    /// UTF-8 text.
    case comment(Range<Int>)
    case enabled(Bool)
    /// UTF-8 text.
    case creator(Range<Int>)
    case createdAt(Int64)
    case modifiedAt(Int64)
    case version(UInt64)
    /// A field under a tag this program does not know (written by a newer one), kept as it is.
    case unknown(tag: UInt64, Range<Int>)
}
