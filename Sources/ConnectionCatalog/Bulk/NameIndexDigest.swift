/// An order-free digest of (connection id, workspace, name) triples, or of (connection id, listing) pairs, so that
/// the name index and the records can be compared in one pass each without keeping either in memory.
///
/// Each triple adds two salted 64-bit hashes (the names lower case, as the index and the decoded record both hold
/// them); sums do not depend on order, so the index (in name order) and the records (in id order) come to the same
/// digest exactly when they hold the same triples, but for a chance of about 2⁻¹²⁸. The hashes are Swift's seeded
/// `Hasher`, so the digest is only compared within one process, never stored.
struct NameIndexDigest: Equatable {
    private(set) var count = 0
    private var first: UInt64 = 0
    private var second: UInt64 = 0

    /// Adds the triple of a connection id (16 bytes), workspace and name (identifier bytes, in any case).
    mutating func add(id: UnsafeRawBufferPointer, workspace: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer) {
        count += 1
        first &+= Self.hash(salt: 0x5EED_0001, id, workspace, name)
        second &+= Self.hash(salt: 0x5EED_0002, id, workspace, name)
    }

    /// Adds the pair of a connection id (16 bytes) and what the name index lists of it.
    mutating func add(id: UnsafeRawBufferPointer, listing: NameIndexEntry.Listing) {
        count += 1
        first &+= Self.hash(salt: 0x5EED_0003, id, listing)
        second &+= Self.hash(salt: 0x5EED_0004, id, listing)
    }

    /// Adds the digest of another part.
    mutating func merge(_ other: NameIndexDigest) {
        count += other.count
        first &+= other.first
        second &+= other.second
    }

    private static func hash(
        salt: UInt64, _ id: UnsafeRawBufferPointer, _ workspace: UnsafeRawBufferPointer,
        _ name: UnsafeRawBufferPointer
    ) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(salt)
        hasher.combine(bytes: id)
        combineLowercased(workspace, into: &hasher)
        hasher.combine(UInt8(0))
        combineLowercased(name, into: &hasher)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }

    private static func hash(salt: UInt64, _ id: UnsafeRawBufferPointer, _ listing: NameIndexEntry.Listing) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(salt)
        hasher.combine(bytes: id)
        hasher.combine(code(of: listing.type))
        hasher.combine(listing.enabled)
        hasher.combine(listing.createdAt)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }

    /// A number per type, hashed instead of the type's raw string (which `Hashable` would build every time).
    private static func code(of type: ConnectionType) -> UInt8 {
        switch type {
        case .cloudFunction: 1
        case .oss: 2
        case .cos: 3
        case .s3: 4
        }
    }

    /// Feeds `bytes` lower-cased (ASCII), without copying them when they are lower case already, as stored.
    private static func combineLowercased(_ bytes: UnsafeRawBufferPointer, into hasher: inout Hasher) {
        guard bytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            hasher.combine(bytes: bytes)
            return
        }
        for byte in bytes { hasher.combine(ASCII.lowercased(byte)) }
    }
}
