/// What DESC shows of a connection, borrowed from its stored record for the length of one call: the listing's
/// fields and the record's property entries as it stores them, plain and sealed. DESC shows every row from it
/// without decoding the record into a `Connection` and its dictionaries.
package struct ConnectionDetailView {
    /// One stored property: its key (the canonical name as stored) and its value, text or a sealed envelope.
    package struct Entry {
        package let key: UnsafeRawBufferPointer
        package let value: UnsafeRawBufferPointer
        package let isSealed: Bool
    }

    /// The fields a listing shows.
    package let summary: ConnectionSummaryView
    /// Every property in the order of the record: plain ones, then sealed ones, each sorted by key as written.
    package let entries: [Entry]

    /// The entry of `key`, sealed or plain as asked, if the record has one.
    package func entry(_ key: PropertyKey, sealed: Bool) -> Entry? {
        var name = key.rawValue
        return name.withUTF8 { name in
            entries.first { $0.isSealed == sealed && $0.key.elementsEqual(name) }
        }
    }
}

extension Connection {
    /// Lends `body` the detail view of this connection, as if it were read from its stored record (DESC of an
    /// earlier version, or of a connection a Swift caller holds).
    package func withDetail<R>(_ body: (ConnectionDetailView) throws -> R) throws -> R {
        try ConnectionRecord.encode(self).withUnsafeBytes { bytes in
            let result = try ConnectionRecord.withDetail(of: bytes) {
                view throws(CatalogError) -> Result<R, any Error> in
                do { return .success(try body(view)) } catch { return .failure(error) }
            }
            return try result.get()
        }
    }
}
