/// Byte-level character classes for the hand-written matchers of this module.
///
/// The validators work on UTF-8 bytes instead of `NSRegularExpression`: no Foundation, no pattern compile,
/// and every rule reads as code. Any non-ASCII byte fails every class, so non-ASCII input is rejected by
/// construction.
enum ASCII {
    static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    static func isLetter(_ b: UInt8) -> Bool { isLower(b) || isUpper(b) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLowerAlnum(_ b: UInt8) -> Bool { isLower(b) || isDigit(b) }
    static func isAlnum(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) }
    /// Printable ASCII without space: `!` through `~`.
    static func isVisible(_ b: UInt8) -> Bool { b >= 0x21 && b <= 0x7E }

    static func lowercased(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }
    static func uppercased(_ b: UInt8) -> UInt8 { isLower(b) ? b & ~0x20 : b }

    /// `text` with ASCII letters lower-cased; other bytes unchanged.
    static func lowercased(_ text: String) -> String {
        if !anyByte(of: text, isUpper) { return text }
        return String(decoding: text.utf8.map(lowercased), as: UTF8.self)
    }

    /// `text` with ASCII letters upper-cased; other bytes unchanged.
    static func uppercased(_ text: String) -> String {
        if !anyByte(of: text, isLower) { return text }
        return String(decoding: text.utf8.map(uppercased), as: UTF8.self)
    }

    /// Whether any UTF-8 byte of `text` satisfies `predicate`, read from the string's contiguous storage when
    /// it has one (names are checked this way on every lookup and decode).
    static func anyByte(of text: String, _ predicate: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(where: predicate) }
            ?? text.utf8.contains(where: predicate)
    }

    /// Whether `bytes` is non-empty and every byte satisfies `predicate`.
    static func all(_ bytes: some Collection<UInt8>, _ predicate: (UInt8) -> Bool) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(predicate)
    }

    /// Whether `text` equals `other` ignoring ASCII case.
    static func equalsIgnoringCase(_ text: some Collection<UInt8>, _ other: some Collection<UInt8>) -> Bool {
        text.count == other.count && zip(text, other).allSatisfy { lowercased($0) == lowercased($1) }
    }
}
