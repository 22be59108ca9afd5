/// The outcome of validating CREATE or ALTER properties: what to store in plain, what to seal, what to drop.
///
/// `secrets` are still plaintext here; the catalog seals them at once. Their wrapper never prints.
package struct ValidatedProperties: Sendable {
    /// The complete plain properties the record will hold, canonical key to value, defaults applied.
    package var properties: [PropertyKey: String]
    /// Sealed properties given in this statement, to seal and store (replacing any earlier envelope).
    package var secrets: [PropertyKey: PlaintextSecret]
    /// Sealed properties the statement unset; their envelopes are to be removed.
    package var removedSecrets: Set<PropertyKey>
    /// What passed but deserves a look, such as a REGION missing from the provider's published list.
    package var notices: [ValidationNotice]

    package init(
        properties: [PropertyKey: String],
        secrets: [PropertyKey: PlaintextSecret] = [:],
        removedSecrets: Set<PropertyKey> = [],
        notices: [ValidationNotice] = []
    ) {
        self.properties = properties
        self.secrets = secrets
        self.removedSecrets = removedSecrets
        self.notices = notices
    }
}
