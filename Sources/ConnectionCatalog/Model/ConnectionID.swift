/// The immutable 16-byte identity of a connection; its description is 32 lower-case hex digits.
///
/// The id, not the name, keys the record and binds its sealed values, so a rename keeps both valid.
/// New ids are time-ordered (48 bits of milliseconds, then 80 random bits, like a UUIDv7 without the
/// version bits): records created together sit together in the key order, which keeps bulk inserts cheap.
public struct ConnectionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    package let high: UInt64
    /// The last 8 bytes, big-endian.
    package let low: UInt64

    /// The number of bytes in an id.
    package static let byteCount = 16

    /// Creates an id from its two big-endian halves.
    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates an id from exactly 16 bytes; `nil` for any other count.
    package init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            if offset < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// Parses 32 hex digits (either case); `nil` for anything else.
    package init?(hex: String) {
        let digits = hex.utf8
        guard digits.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (offset, digit) in digits.enumerated() {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            if offset < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
        }
        self.init(high: high, low: low)
    }

    /// A new time-ordered id: `milliseconds` since the epoch in the first 6 bytes, random bits after.
    package static func generate(
        milliseconds: Int64, using generator: inout some RandomNumberGenerator
    ) -> ConnectionID {
        let time = UInt64(truncatingIfNeeded: milliseconds) & 0xFFFF_FFFF_FFFF
        let random = generator.next() as UInt64
        return ConnectionID(high: time << 16 | random >> 48, low: generator.next())
    }

    /// The 16 bytes, big-endian halves in order.
    package var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: Self.byteCount)
        for index in 0..<8 {
            result[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            result[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        return result
    }

    /// Ordering by bytes, which is also the LMDB key order of record keys.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(32)
        for half in [high, low] {
            for shift in stride(from: 60, through: 0, by: -4) {
                text.append(digits[Int(half >> UInt64(shift) & 0xF)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
