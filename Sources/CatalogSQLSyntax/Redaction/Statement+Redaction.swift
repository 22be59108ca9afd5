/// Redaction of secrets on the parsed statement, never on its text (DESIGN.md §5).
extension Statement {
    /// The text that replaces a secret value.
    public static let redactedValue = "<redacted>"

    /// `redactedValue` as a literal value, shared by every redacted assignment.
    static let redactedLiteral = SQLStringValue(redactedValue)

    /// The same statement with the value of every secret property replaced by `'<redacted>'`.
    ///
    /// `isSecret` receives the connection type as written and the key as written. ALTER … SET does
    /// not name the type, so it receives an empty type name there and must then answer for every
    /// type at once. Only property values are touched: names, comments and SHOW filters are kept.
    public func redacted(
        isSecret: (_ typeName: String, _ key: String) -> Bool = RedactionPolicy.conservative
    ) -> Statement {
        switch self {
        case .createConnection(var create):
            create.properties = create.properties.map { $0.redacted(if: isSecret(create.typeName.text, $0.key)) }
            return .createConnection(create)
        case .alterConnection(var alter):
            if case .set(let properties) = alter.action {
                alter.action = .set(properties.map { $0.redacted(if: isSecret("", $0.key)) })
            }
            return .alterConnection(alter)
        case .describeConnection, .showConnections, .showConnectionHistory, .dropConnection, .begin, .commit, .rollback:
            return self
        }
    }
}

extension PropertyAssignment {
    func redacted(if isSecret: Bool) -> PropertyAssignment {
        guard isSecret else { return self }
        var copy = self
        copy.value = Statement.redactedLiteral
        return copy
    }
}

// Printing a statement, however it happens, applies the conservative policy: a statement that was
// never redacted can still end up in a log line through string interpolation or `dump`.

extension Statement: CustomStringConvertible, CustomDebugStringConvertible {
    /// The statement as SQL with `RedactionPolicy.conservative` applied.
    public var description: String { redacted().sqlText }
    public var debugDescription: String { description }
}

extension PropertyAssignment: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The value for printing: a `String` is made only of a value the conservative policy lets through.
    private var printableValue: String {
        RedactionPolicy.isConservativelySecret(key: key) ? Statement.redactedValue : value.string
    }

    /// `key = 'value'`, with the value hidden when `RedactionPolicy.conservative` deems it secret.
    public var description: String { SQLText.key(key) + " = " + SQLText.string(printableValue) }
    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "key": key, "keyPosition": keyPosition, "value": printableValue, "valuePosition": valuePosition,
            ],
            displayStyle: .struct)
    }
}
