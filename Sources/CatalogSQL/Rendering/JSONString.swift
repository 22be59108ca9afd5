/// Writes JSON string literals by hand, so JSON output needs no Foundation and never changes with it.
package enum JSONString {
    private static let hexDigits: [Character] = Array("0123456789abcdef")

    /// Returns `text` as a JSON string literal, quotes included.
    ///
    /// `"` and `\` are escaped; `\b \f \n \r \t` use their short forms and every other control character below
    /// U+0020 is written `\u00xx` (lower-case hex). U+2028 and U+2029 are escaped too, so the output is also
    /// valid JavaScript. Everything else, including `/` and non-ASCII text, is passed through as UTF-8.
    package static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            case _ where scalar.value < 0x20:
                result += "\\u00"
                result.append(hexDigits[Int(scalar.value >> 4)])
                result.append(hexDigits[Int(scalar.value & 0xF)])
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        result += "\""
        return result
    }

    /// Returns a JSON array of string literals, `null` for `nil`, written `["a", null]`.
    package static func array(_ values: [String?]) -> String {
        "[" + values.map { $0.map(quoted) ?? "null" }.joined(separator: ", ") + "]"
    }
}
