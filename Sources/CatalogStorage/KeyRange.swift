/// Which keys a cursor scan visits, in key order.
public struct KeyRange: Sendable, Hashable {
    /// The first key visited, inclusive; `nil` starts at the first key of the database.
    public var lowerBound: [UInt8]?
    /// The first key not visited, exclusive; `nil` runs to the last key.
    public var upperBound: [UInt8]?
    /// When set, only keys that start with these bytes are visited.
    public var prefix: [UInt8]?

    public init(from lowerBound: [UInt8]? = nil, to upperBound: [UInt8]? = nil) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// Every key of the database.
    public static let all = KeyRange()

    /// Every key that starts with `prefix`.
    public static func prefix(_ prefix: [UInt8]) -> KeyRange {
        var range = KeyRange(from: prefix)
        range.prefix = prefix
        return range
    }

    /// Whether `range` holds `key`: at or after the lower bound and admitted.
    func contains(_ key: [UInt8]) -> Bool {
        if let lowerBound, key.lexicographicallyPrecedes(lowerBound) { return false }
        return key.withUnsafeBytes { admits($0) }
    }

    /// Whether `key`, met in key order at or after the lower bound, is still inside the range.
    func admits(_ key: UnsafeRawBufferPointer) -> Bool {
        if let prefix {
            guard key.count >= prefix.count else { return false }
            for index in 0..<prefix.count where key[index] != prefix[index] { return false }
        }
        if let upperBound {
            return key.lexicographicallyPrecedes(upperBound)
        }
        return true
    }
}
