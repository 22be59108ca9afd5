internal import ConnectionCatalog

/// Which property values are secrets, for redacting statements: the domain schema's sealed properties, plus
/// the conservative rule. When the statement does not name the type (ALTER … SET), a key sealed for any type
/// counts as secret.
public enum SecretPolicy {
    public static func isSecret(typeName: String, key: String) -> Bool {
        if RedactionPolicy.conservative(typeName, key) { return true }
        if let type = ConnectionType(parsing: typeName) { return PropertySchema.isSealed(key, type: type) }
        return ConnectionType.allCases.contains { PropertySchema.isSealed(key, type: $0) }
    }
}

extension Statement {
    /// The statement with every secret value replaced, for logs, echoes and the shell's history file.
    public var redactedForDisplay: Statement { redacted(isSecret: SecretPolicy.isSecret(typeName:key:)) }
}
