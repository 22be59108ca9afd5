/// Turns the bytes of a script into text, refusing bytes that are not UTF-8.
///
/// Swift's usual decoding replaces a malformed sequence with U+FFFD, which would store a value the user never
/// typed (a region, a bucket, a key id) without a word. A script must be UTF-8; anything else is an
/// `invalid_value` error that points at the first bad byte.
public enum SQLInput: Sendable {
    /// The text of `bytes`, which start at line `firstLine` of the input, or the error at the first byte that
    /// is not part of a well-formed UTF-8 sequence (its line and column, in characters, as SQL errors count).
    public static func text(fromUTF8 bytes: [UInt8], firstLine: Int = 1) -> Result<String, RenderedError> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        var line = firstLine
        var column = 1
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else {
                let byte = String(bytes[index], radix: 16, uppercase: true)
                return .failure(
                    RenderedError(
                        code: "invalid_value",
                        message: "the input is not valid UTF-8 (byte 0x\(byte.count == 1 ? "0" : "")\(byte)); "
                            + "save the script as UTF-8 and run it again",
                        line: line, column: column))
            }
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        preconditionFailure("String(validating:) refused bytes that every sequence accepted")
    }

    /// The length of the well-formed UTF-8 sequence at `index`, or 0 if it is malformed (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF).
    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let first = bytes[index]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}
