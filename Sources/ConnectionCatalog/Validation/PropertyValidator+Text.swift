/// The validator for values given as text (Swift callers and tests): each value becomes `PropertyInput.text`.
extension PropertyValidator {
    /// `validateCreate(_:type:)` of values given as text.
    package static func validateCreate<Value: StringProtocol>(
        _ assignments: [(key: String, value: Value)], type: ConnectionType
    ) throws(CatalogError) -> ValidatedProperties {
        try validateCreate(PropertyInput.texts(assignments), type: type)
    }

    /// `validateAlter(existing:sealedKeys:set:unset:type:)` of values given as text.
    package static func validateAlter<Value: StringProtocol>(
        existing: [PropertyKey: String],
        sealedKeys: Set<PropertyKey> = [],
        set: [(key: String, value: Value)],
        unset: [String],
        type: ConnectionType
    ) throws(CatalogError) -> ValidatedProperties {
        try validateAlter(
            existing: existing, sealedKeys: sealedKeys, set: PropertyInput.texts(set), unset: unset,
            type: type)
    }
}
