/// What SHOW lists of one connection, lent by `CatalogReading.forEachListing`: its name borrowed from the name
/// index key, the rest from the index entry (or, for an entry written before schema 4, from the record).
package struct ConnectionListingView {
    /// The stored (lower-case) connection name.
    package let name: UnsafeRawBufferPointer
    package let type: ConnectionType
    package let enabled: Bool
    /// Milliseconds since the epoch.
    package let createdAt: Int64

    init(name: UnsafeRawBufferPointer, listing: NameIndexEntry.Listing) {
        self.name = name
        type = listing.type
        enabled = listing.enabled
        createdAt = listing.createdAt
    }

    package var category: ConnectionCategory { type.category }
}
