/// A property value on its way to validation: text from a Swift caller, or UTF-8 bytes in wiped storage.
///
/// Which keys are sealed is the schema's fact (`PropertySchema.isSealed`), so the SQL layer hands over every
/// literal as `.wiped` and the validator decides: a sealed key's value is copied into a `PlaintextSecret` and
/// sealed without ever being a `String`; a plain key's value becomes one (it is stored and shown in plain
/// anyway). A Swift caller's `String` is the caller's, so `.text` is for the public API.
package enum PropertyInput: Sendable {
    /// A value a Swift caller gave as a `String`.
    case text(String)
    /// A value's UTF-8 bytes in wiped storage, which may or may not be secret.
    case wiped(any WipedUTF8)

    /// The value as a `String`, for a key that is not sealed.
    var text: String {
        switch self {
        case .text(let text): text
        case .wiped(let bytes): bytes.withUTF8Bytes { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Assignments whose values a Swift caller gave as text, each value as `.text`.
    static func texts<Value: StringProtocol>(
        _ assignments: [(key: String, value: Value)]
    ) -> [(key: String, value: PropertyInput)] {
        assignments.map { ($0.key, .text(String($0.value))) }
    }

    /// The value in wiped storage, for a sealed key.
    var secret: PlaintextSecret {
        switch self {
        case .text(let text): PlaintextSecret(text)
        case .wiped(let bytes): bytes.withUTF8Bytes { PlaintextSecret(copying: $0) }
        }
    }
}

extension PropertyInput: ExpressibleByStringLiteral {
    /// A value written in Swift source, as `.text`.
    package init(stringLiteral value: String) {
        self = .text(value)
    }
}
