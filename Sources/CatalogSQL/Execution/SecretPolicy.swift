internal import ConnectionCatalog

/// Which property values are secrets, for redacting statements: the domain schema's sealed properties, plus
/// the conservative rule. When the statement does not name the type (ALTER … SET), a key sealed for any type
/// counts as secret. A key no schema knows (a typo such as `ACCESSKEY` or `ACCESS_KY`, or a key of another
/// type) is hidden too: its value cannot be shown to be harmless, and a misspelled secret key usually holds
/// the secret.
public enum SecretPolicy: Sendable {
    public static func isSecret(typeName: String, key: String) -> Bool {
        if RedactionPolicy.conservative(typeName, key) { return true }
        if let type = ConnectionType(parsing: typeName) {
            guard PropertySchema.schema(for: type).canonicalKey(key) != nil else { return true }
            return PropertySchema.isSealed(key, type: type)
        }
        let knowing = ConnectionType.allCases.filter { PropertySchema.schema(for: $0).canonicalKey(key) != nil }
        return knowing.isEmpty || knowing.contains { PropertySchema.isSealed(key, type: $0) }
    }
}

extension Statement {
    /// The statement with every secret value replaced, for logs, echoes and the shell's history file.
    public var redactedForDisplay: Statement { redacted(isSecret: SecretPolicy.isSecret(typeName:key:)) }
}
