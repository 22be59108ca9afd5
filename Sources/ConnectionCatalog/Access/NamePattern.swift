/// A pattern of connection names, as SQL's LIKE writes it: `%` any run of characters, `_` one character, `\`
/// escapes the next; without case. A listing scans the name index from its literal prefix only and tests each
/// name's stored bytes (lower case) before reading the record.
package struct NamePattern: Sendable {
    private enum Element: Equatable {
        case literal(UInt8)
        case one
        case any
    }

    private let elements: [Element]
    /// For a pattern of the form `%text%` (no other wildcard), the text: matching is then a substring search.
    private let infix: [UInt8]?

    /// The pattern `pattern`, written as for LIKE.
    package init(like pattern: String) {
        var elements: [Element] = []
        var escaped = false
        for character in pattern.lowercased() {
            if !escaped && character == "\\" {
                escaped = true
                continue
            }
            if !escaped && character == "%" {
                if elements.last != .any { elements.append(.any) }
            } else if !escaped && character == "_" {
                elements.append(.one)
            } else {
                elements += character.utf8.map { .literal($0) }
            }
            escaped = false
        }
        if escaped { elements.append(.literal(UInt8(ascii: "\\"))) }
        self.elements = elements
        let inner = elements.count >= 2 ? elements.dropFirst().dropLast() : []
        if elements.first == .any, elements.last == .any, !inner.isEmpty {
            let literals = inner.compactMap { element -> UInt8? in
                if case .literal(let byte) = element { byte } else { nil }
            }
            infix = literals.count == inner.count ? literals : nil
        } else {
            infix = nil
        }
    }

    /// The literal text before the first wildcard: names are lower case, so the name index can be scanned
    /// from this prefix only.
    package var literalPrefix: String {
        var prefix: [UInt8] = []
        for element in elements {
            guard case .literal(let byte) = element else { break }
            prefix.append(byte)
        }
        return String(decoding: prefix, as: UTF8.self)
    }

    /// Whether `text` matches, without case.
    package func matches(_ text: String) -> Bool {
        var text = text.lowercased()
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the lower-case UTF-8 `name` matches. Iterative, backtracking only to the last `%`.
    package func matches(_ name: UnsafeRawBufferPointer) -> Bool {
        if let infix { return Self.contains(infix, in: name) }
        var textIndex = 0
        var patternIndex = 0
        var starPattern = -1
        var starText = 0
        while textIndex < name.count {
            if patternIndex < elements.count {
                switch elements[patternIndex] {
                case .any:
                    starPattern = patternIndex
                    starText = textIndex
                    patternIndex += 1
                    continue
                case .one:
                    textIndex = Self.nextCharacter(in: name, after: textIndex)
                    patternIndex += 1
                    continue
                case .literal(let byte) where byte == Self.lowered(name[textIndex]):
                    textIndex += 1
                    patternIndex += 1
                    continue
                default:
                    break
                }
            }
            guard starPattern >= 0 else { return false }
            patternIndex = starPattern + 1
            starText = Self.nextCharacter(in: name, after: starText)
            textIndex = starText
        }
        while patternIndex < elements.count, elements[patternIndex] == .any { patternIndex += 1 }
        return patternIndex == elements.count
    }

    /// Whether `needle` (lower case, not empty) occurs in `name`, compared without case.
    private static func contains(_ needle: [UInt8], in name: UnsafeRawBufferPointer) -> Bool {
        guard name.count >= needle.count else { return false }
        return needle.withUnsafeBufferPointer { needle in
            let first = needle[0]
            for start in 0...(name.count - needle.count) where lowered(name[start]) == first {
                var offset = 1
                while offset < needle.count, lowered(name[start + offset]) == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            return false
        }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// The index after the UTF-8 sequence starting at `index` (continuation bytes are `10xxxxxx`).
    private static func nextCharacter(in bytes: UnsafeRawBufferPointer, after index: Int) -> Int {
        var next = index + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}
