/// Makes cell text safe for a fixed-width, line-oriented display and measures how wide it shows.
enum VisibleText {
    /// Replaces every line break with `↵` and every other control character with its Unicode control
    /// picture (tab becomes `␉`, NUL `␀`, DEL `␡`), so one value always stays on one line and one column.
    ///
    /// CR LF counts as one line break. The replacement is for people only; JSON and CSV keep the exact text.
    static func singleLine(_ text: String) -> String {
        guard hasControlCharacter(text) else { return text }
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar.value {
            case 0x0A where previousWasCR:
                continue  // the "↵" for this CR LF was written at the CR
            case 0x0A, 0x0D:
                result.append("↵")
            case 0x00..<0x20:
                result.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F:
                result.append("\u{2421}")
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Splits `text` at its line breaks (LF, CR, or CR LF as one) and makes each line safe with `singleLine`,
    /// for a display that shows a multi-line value as several lines. Text without a line break is one line; a
    /// trailing line break gives a last, empty line.
    static func lines(_ text: String) -> [String] {
        guard hasLineBreak(text) else { return [singleLine(text)] }
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\n" where previousWasCR:
                continue  // this CR LF ended its line at the CR
            case "\n", "\r":
                lines.append(singleLine(String(current)))
                current = String.UnicodeScalarView()
            default:
                current.append(scalar)
            }
        }
        lines.append(singleLine(String(current)))
        return lines
    }

    /// Whether `text` holds a line break (LF or CR).
    static func hasLineBreak(_ text: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { buffer in
            buffer.contains { $0 == 0x0A || $0 == 0x0D }
        }
        return fast ?? text.utf8.contains { $0 == 0x0A || $0 == 0x0D }
    }

    /// The number of terminal columns `text` takes: one per character, two for wide East Asian characters
    /// and emoji shown as pictures.
    ///
    /// This approximates Unicode's East Asian Width property from each character's first scalar; it is exact
    /// for the text the catalog holds (ASCII names, properties and comments) and good for most of the rest.
    static func displayWidth(_ text: String) -> Int {
        // Printable ASCII, which is nearly everything the catalog shows, is one column a byte.
        if isASCII(text) { return text.utf8.count }
        var width = 0
        for character in text {
            width += isWide(character) ? 2 : 1
        }
        return width
    }

    /// Whether every byte of `text` is printable ASCII (0x20…0x7E): such text needs no replacement and is
    /// as wide as it is long.
    static func isPrintableASCII(_ text: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { buffer in
            var outside = false
            for byte in buffer { outside = outside || byte &- 0x20 >= 0x5F }
            return !outside
        }
        return fast ?? text.utf8.allSatisfy { $0 &- 0x20 < 0x5F }
    }

    /// Whether every byte of `bytes` is printable ASCII, as `isPrintableASCII(_:)` for text.
    static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Eight bytes at a time: a word has a byte below 0x20 when subtracting 0x20 from each borrows into its
        // top bit, and a byte of 0x7F or more when adding 1 to each (or the byte itself) sets it.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        var flagged: UInt64 = 0
        var position = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while position + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                flagged |= (word &- 0x20 &* ones) & ~word & tops
                flagged |= ((word &+ ones) | word) & tops
                position += 8
            }
        }
        var outside = flagged != 0
        while position < bytes.count {
            outside = outside || bytes[position] &- 0x20 >= 0x5F
            position += 1
        }
        return !outside
    }

    private static func hasControlCharacter(_ text: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { buffer in
            buffer.contains { $0 < 0x20 || $0 == 0x7F }
        }
        return fast ?? text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    private static func isASCII(_ text: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { buffer in
            buffer.reduce(0 as UInt8) { $0 | $1 } < 0x80
        }
        return fast ?? text.utf8.allSatisfy { $0 < 0x80 }
    }

    private static func isWide(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        if first.properties.isEmojiPresentation { return true }
        if character.unicodeScalars.contains("\u{FE0F}") && first.properties.isEmoji { return true }
        switch first.value {
        case 0x1100...0x115F,  // Hangul Jamo initial consonants
            0x2E80...0x303E,  // CJK radicals, symbols and punctuation
            0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, CJK compatibility
            0x3400...0x4DBF,  // CJK extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xA000...0xA4CF,  // Yi
            0xAC00...0xD7A3,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFE30...0xFE4F,  // CJK compatibility forms
            0xFF00...0xFF60,  // full-width forms
            0xFFE0...0xFFE6,
            0x20000...0x3FFFD:  // CJK extensions B and later
            return true
        default:
            return false
        }
    }
}
