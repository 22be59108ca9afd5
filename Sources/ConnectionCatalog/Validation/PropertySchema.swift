/// The properties a connection type accepts, as data: allowed keys, required keys, defaults, sealed keys,
/// aliases and credential forms (DESIGN.md §4).
///
/// Keys are matched without case. An alias (`'cloud_function.region'` for `REGION`; `ACCESS_KEY` and
/// `SECRET_KEY` for S3's `ACCESS_KEY_ID` and `SECRET_ACCESS_KEY`) is the same property as its canonical key,
/// so giving both is a duplicate. `EXTERNAL_ID` is known to every schema but generated, never user-supplied.
package struct PropertySchema: Sendable {
    /// The type this schema describes.
    package let type: ConnectionType
    /// The keys a user may set, in the order DESC shows them.
    package let keys: [PropertyKey]
    /// Keys every connection of this type must have (after defaults).
    package let required: [PropertyKey]
    /// Extra keys required for one provider (Tencent SCF needs `NAMESPACE`).
    package let requiredForProvider: [Provider: [PropertyKey]]
    /// Values filled in when a key is absent and not required for the provider.
    package let defaults: [PropertyKey: String]
    /// Keys whose values are sealed at rest and never shown.
    package let sealed: Set<PropertyKey>
    /// Keys the catalog generates; a user who supplies one gets `invalid_value`.
    package let generated: Set<PropertyKey>
    /// Other spellings of keys, as documented (matched without case), and the key each stands for.
    package let aliases: [(spelling: String, key: PropertyKey)]
    /// Ways to authenticate; a connection needs at least one complete form, and no form half given.
    package let credentialForms: [CredentialForm]

    private let lookup: [String: PropertyKey]

    /// A way to authenticate: `keys` that must be given together, and `requires`, which must come with them.
    package struct CredentialForm: Sendable, CustomStringConvertible {
        /// The credential itself, such as `ACCESS_ID` + `ACCESS_KEY`; all or none.
        package let keys: [PropertyKey]
        /// What the credential needs besides, such as `ENDPOINT`.
        package let requires: [PropertyKey]

        package var description: String {
            let credential = keys.map(\.rawValue).joined(separator: " + ")
            return requires.isEmpty
                ? credential : "\(credential) (with \(requires.map(\.rawValue).joined(separator: ", ")))"
        }
    }

    init(
        type: ConnectionType,
        keys: [PropertyKey],
        required: [PropertyKey],
        requiredForProvider: [Provider: [PropertyKey]] = [:],
        defaults: [PropertyKey: String] = [:],
        sealed: Set<PropertyKey>,
        aliases: [(spelling: String, key: PropertyKey)] = [],
        credentialForms: [CredentialForm] = []
    ) {
        self.type = type
        self.keys = keys
        self.required = required
        self.requiredForProvider = requiredForProvider
        self.defaults = defaults
        self.generated = [.externalID]
        self.sealed = sealed.union(generated)
        self.aliases = aliases
        self.credentialForms = credentialForms
        var lookup = [String: PropertyKey]()
        for key in keys + [.externalID] { lookup[key.rawValue] = key }
        for alias in aliases { lookup[ASCII.uppercased(alias.spelling)] = alias.key }
        self.lookup = lookup
    }

    /// The schema of `type`.
    package static func schema(for type: ConnectionType) -> PropertySchema {
        switch type {
        case .cloudFunction: cloudFunction
        case .oss: oss
        case .cos: cos
        case .s3: s3
        }
    }

    /// The canonical key for `typed` (any case, aliases accepted), or `nil` if the type has no such property.
    ///
    /// `EXTERNAL_ID` resolves, so that callers can say it is generated rather than unknown.
    package func canonicalKey(_ typed: String) -> PropertyKey? {
        lookup[ASCII.uppercased(typed)]
    }

    /// Whether `key` (canonical) is sealed for this type.
    package func isSealed(_ key: PropertyKey) -> Bool {
        sealed.contains(key)
    }

    /// Whether the property a user typed as `key` (any case, aliases accepted) is sealed for `type`.
    ///
    /// The SQL layer calls this on the parsed statement to redact secret literals before anything echoes it.
    package static func isSealed(_ key: String, type: ConnectionType) -> Bool {
        let schema = schema(for: type)
        return schema.canonicalKey(key).map(schema.isSealed) ?? false
    }

    /// The keys required when the provider is `provider` (or not yet known, when `nil`).
    package func requiredKeys(for provider: Provider?) -> [PropertyKey] {
        required + (provider.flatMap { requiredForProvider[$0] } ?? [])
    }

    /// The spellings offered as suggestions for a mistyped key: the settable keys, then the aliases.
    var suggestionCandidates: [String] {
        keys.map(\.rawValue) + aliases.map(\.spelling)
    }
}

extension PropertySchema {
    /// `CLOUD_FUNCTION`: PROVIDER, REGION, ROLE_ARN and CODE_BUCKET required; NAMESPACE required for
    /// tencent, else `default`; also spelled `'cloud_function.<key>'`.
    static let cloudFunction: PropertySchema = {
        let keys: [PropertyKey] = [.provider, .region, .roleARN, .namespace, .codeBucket]
        return PropertySchema(
            type: .cloudFunction,
            keys: keys,
            required: [.provider, .region, .roleARN, .codeBucket],
            requiredForProvider: [.tencent: [.namespace]],
            defaults: [.namespace: "default"],
            sealed: [],
            aliases: keys.map { (spelling: "cloud_function." + ASCII.lowercased($0.rawValue), key: $0) }
        )
    }()

    /// `OSS`: ACCESS_ID + ACCESS_KEY with ENDPOINT, or ROLE_ARN with REGION; ACCESS_KEY sealed.
    static let oss = PropertySchema(
        type: .oss,
        keys: [.endpoint, .region, .accessID, .accessKey, .roleARN],
        required: [],
        sealed: [.accessKey],
        credentialForms: [
            CredentialForm(keys: [.accessID, .accessKey], requires: [.endpoint]),
            CredentialForm(keys: [.roleARN], requires: [.region]),
        ]
    )

    /// `COS`: REGION and APP_ID, with ACCESS_KEY + SECRET_KEY or ROLE_ARN; SECRET_KEY sealed.
    static let cos = PropertySchema(
        type: .cos,
        keys: [.region, .appID, .accessKey, .secretKey, .roleARN],
        required: [.region, .appID],
        sealed: [.secretKey],
        credentialForms: [
            CredentialForm(keys: [.accessKey, .secretKey], requires: []),
            CredentialForm(keys: [.roleARN], requires: []),
        ]
    )

    /// `S3`: REGION, optional ENDPOINT, with ACCESS_KEY_ID + SECRET_ACCESS_KEY (older names ACCESS_KEY,
    /// SECRET_KEY) or ROLE_ARN; SECRET_ACCESS_KEY sealed.
    static let s3 = PropertySchema(
        type: .s3,
        keys: [.endpoint, .region, .accessKeyID, .secretAccessKey, .roleARN],
        required: [.region],
        sealed: [.secretAccessKey],
        aliases: [(spelling: "ACCESS_KEY", key: .accessKeyID), (spelling: "SECRET_KEY", key: .secretAccessKey)],
        credentialForms: [
            CredentialForm(keys: [.accessKeyID, .secretAccessKey], requires: []),
            CredentialForm(keys: [.roleARN], requires: []),
        ]
    )
}

extension ConnectionType {
    /// The property schema of this type.
    package var schema: PropertySchema { PropertySchema.schema(for: self) }
}
