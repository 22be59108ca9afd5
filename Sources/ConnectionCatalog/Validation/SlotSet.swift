/// A set of a schema's slots (the indices of `PropertySchema.keys`, then EXTERNAL_ID's) as the bits of one word.
///
/// The validator asks "given?", "present?", "required?" of a handful of keys per statement; a mask answers
/// each with an AND where a `Set<PropertyKey>` hashed a string. Iterating yields the slots in increasing order,
/// which is the schema's order.
struct SlotSet: Equatable, Sendable, Sequence {
    /// The most slots a set holds.
    static let capacity = UInt16.bitWidth

    private var bits: UInt16 = 0

    /// The empty set.
    init() {}

    /// The set of `slots`.
    init(_ slots: some Sequence<Int>) {
        for slot in slots { insert(slot) }
    }

    var isEmpty: Bool { bits == 0 }

    var count: Int { bits.nonzeroBitCount }

    func contains(_ slot: Int) -> Bool {
        bits & Self.bit(slot) != 0
    }

    mutating func insert(_ slot: Int) {
        bits |= Self.bit(slot)
    }

    mutating func remove(_ slot: Int) {
        bits &= ~Self.bit(slot)
    }

    func union(_ other: Self) -> Self {
        var result = self
        result.bits |= other.bits
        return result
    }

    func intersection(_ other: Self) -> Self {
        var result = self
        result.bits &= other.bits
        return result
    }

    func isSubset(of other: Self) -> Bool {
        bits & ~other.bits == 0
    }

    func isDisjoint(with other: Self) -> Bool {
        bits & other.bits == 0
    }

    func makeIterator() -> Iterator {
        Iterator(bits: bits)
    }

    /// The slots of a set, lowest first.
    struct Iterator: IteratorProtocol {
        fileprivate var bits: UInt16

        mutating func next() -> Int? {
            guard bits != 0 else { return nil }
            let slot = bits.trailingZeroBitCount
            bits &= bits - 1
            return slot
        }
    }

    private static func bit(_ slot: Int) -> UInt16 {
        precondition(slot >= 0 && slot < capacity, "slot \(slot) is outside a SlotSet")
        return 1 << UInt16(slot)
    }
}
