/// The decoded contents of a string literal (quotes removed, doubled quotes undone), held in storage that is
/// overwritten with zeros when the last copy goes.
///
/// A property value may be a secret, and a Swift `String` cannot be wiped, so the parser keeps each value as
/// bytes: a literal without doubled quotes is a view of the lexer's wiped copy of the statement, one with them
/// gets a wiped buffer of its own. A view keeps the lexer's whole copy alive (wiped when the last value from it
/// goes), so a statement kept for long, even a redacted one, keeps its text in memory; keep `sqlText` of a
/// redacted statement instead. The text the caller parsed is the caller's `String` and stays as it is.
///
/// A value never prints: `description`, `debugDescription` and the mirror give its length only, since the value
/// cannot know whether its key is secret (`PropertyAssignment` prints a value its key's policy lets through).
/// Read the bytes with `withUTF8Bytes(_:)`; make a `String` with `string` only of a value known not to be secret.
public struct SQLStringValue: Sendable {
    private let storage: WipedBuffer
    private let start: Int
    /// The number of UTF-8 bytes (a length is not considered secret).
    public let utf8Count: Int

    /// The value `text`, copied into wiped storage (`text` itself is the caller's and cannot be wiped).
    public init(_ text: String) {
        storage = WipedBuffer(utf8: text)
        start = 0
        utf8Count = storage.count
    }

    /// The bytes `start..<end` of `storage`, which must be valid UTF-8.
    package init(_ storage: WipedBuffer, from start: Int, to end: Int) {
        self.storage = storage
        self.start = start
        utf8Count = end - start
    }

    /// The value as a `String`, a copy that is never wiped: for values that are not secret (a region, a role).
    public var string: String {
        withUTF8Bytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Lends the value's UTF-8 bytes to `body`; do not let them escape it.
    public func withUTF8Bytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withBytes(from: start, to: start + utf8Count) { bytes throws(E) in
            try body(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Whether the value is exactly `text`, without making a `String` of it.
    package func equals(_ text: String) -> Bool {
        withUTF8Bytes { $0.elementsEqual(text.utf8) }
    }
}

extension SQLStringValue: ExpressibleByStringLiteral {
    /// A value written in Swift source, for statements built by code and for tests.
    public init(stringLiteral text: String) {
        self.init(text)
    }
}

extension SQLStringValue: Hashable {
    /// Equal bytes; every byte is compared when the lengths match, so the time taken does not say where two
    /// values of one length first differ.
    public static func == (lhs: SQLStringValue, rhs: SQLStringValue) -> Bool {
        guard lhs.utf8Count == rhs.utf8Count else { return false }
        return lhs.withUTF8Bytes { left in
            rhs.withUTF8Bytes { right in
                var difference: UInt8 = 0
                for index in 0..<left.count { difference |= left[index] ^ right[index] }
                return difference == 0
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        withUTF8Bytes { hasher.combine(bytes: $0) }
    }
}

extension SQLStringValue: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `<string literal, N bytes>`: never the value.
    public var description: String { "<string literal, \(utf8Count) bytes>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["utf8Count": utf8Count], displayStyle: .struct) }
}
