/// Checks the properties of CREATE and ALTER against the type's schema and the provider's rules.
///
/// Mistakes surface when the statement runs, not when the function is first called. Checks run in a fixed
/// order and the first failure is thrown: keys (unknown, duplicate, generated), then PROVIDER, then each
/// value's form, then required keys, then credential forms, then rules across keys (the AWS partition).
/// No message or detail ever contains the value of a sealed property.
///
/// The rules, in brief (the matchers in `RegionRules`, `RoleARNRules`, `BucketRules` and `EndpointRules`
/// document them in full):
/// - PROVIDER: `aliyun`, `tencent` or `aws`, any case, stored lower case.
/// - REGION: aliyun `^[a-z]{2,}(-[a-z0-9]+)+$`; tencent `^[a-z]{2}-[a-z]+(-[a-z0-9]+)?$`;
///   aws `^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`; the first label one of the provider's geographies. A malformed
///   region is an error naming the nearest published one; a well-formed region missing from the provider's
///   published list (`RegionCatalog`) passes with a `ValidationNotice`.
/// - ROLE_ARN: aliyun `acs:ram::<digits>:role/<name>`; tencent `qcs::cam::uin/<digits>:roleName/<name>`;
///   aws `arn:aws:iam::<12 digits>:role/<path/><name>`, partition `aws-cn` exactly for `cn-` regions
///   (`aws-us-gov` for `us-gov-` ones). Role names are 1 to 64 of `[A-Za-z0-9+=,.@_-]`.
/// - CODE_BUCKET: aliyun OSS rules; tencent `<name>-<APPID>`; aws S3 rules.
/// - NAMESPACE: 1 to 128 of `[A-Za-z0-9_-]`; required for tencent, else `default`.
/// - ENDPOINT: a host name or an `https://` URL without a path. APP_ID: 5 to 20 digits.
/// - Key ids and secrets: printable characters without spaces, at most `maximumValueLength` bytes.
/// - Credentials: OSS needs ACCESS_ID + ACCESS_KEY with ENDPOINT, or ROLE_ARN with REGION; COS needs REGION
///   and APP_ID with ACCESS_KEY + SECRET_KEY or ROLE_ARN; S3 needs REGION with ACCESS_KEY_ID +
///   SECRET_ACCESS_KEY or ROLE_ARN. Both forms may be present (so ALTER can switch from one to the other);
///   half of one never may.
package enum PropertyValidator {
    /// The longest property value accepted, in bytes.
    package static let maximumValueLength = 4096

    /// Validates the properties of a CREATE, given in the order typed.
    ///
    /// - Parameters:
    ///   - assignments: each key as the user typed it (any case, aliases accepted) and its value.
    ///   - type: the connection type, which fixes the schema.
    /// - Returns: the canonical plain properties with defaults applied, and the secrets to seal.
    /// - Throws: `CatalogError` `.unknownProperty` (with a `suggestion` detail when a key is near),
    ///   `.duplicateProperty`, `.missingProperty` or `.invalidValue`.
    package static func validateCreate(
        _ assignments: [(key: String, value: PropertyInput)], type: ConnectionType
    ) throws(CatalogError) -> ValidatedProperties {
        let schema = type.schema
        // Sized up front: a table that grows rehashes on every insert of a small create.
        var seen = [PropertyKey: String](minimumCapacity: assignments.count)
        let (plain, secrets) = try resolve(assignments, schema: schema, seen: &seen)
        var notices: [ValidationNotice] = []
        let properties = try complete(
            plain: plain, sealedPresent: Set(secrets.keys), secrets: secrets, schema: schema, unset: [],
            notices: &notices)
        return ValidatedProperties(properties: properties, secrets: secrets, notices: notices)
    }

    /// Validates an ALTER … SET or UNSET against the connection's current properties.
    ///
    /// The result is checked as a whole, so changing PROVIDER re-validates every value under the new
    /// provider's rules. Unsetting a key that is valid but absent changes nothing; unsetting a defaulted key
    /// restores its default. Keys in `existing` that this program does not know (written by a newer one) are
    /// kept unchanged and unchecked.
    ///
    /// - Parameters:
    ///   - existing: the current plain properties.
    ///   - sealedKeys: the keys that currently have sealed envelopes (EXTERNAL_ID may be among them).
    ///   - set: keys as typed and their new values.
    ///   - unset: keys as typed to remove.
    ///   - type: the connection type.
    /// - Returns: the new complete plain properties, the secrets to seal, and the sealed keys to drop.
    /// - Throws: `CatalogError` `.unknownProperty`, `.duplicateProperty`, `.missingProperty` (also when
    ///   unsetting a required key or half a credential) or `.invalidValue` (also for EXTERNAL_ID, which only
    ///   `ROTATE EXTERNAL_ID` changes).
    package static func validateAlter(
        existing: [PropertyKey: String],
        sealedKeys: Set<PropertyKey> = [],
        set: [(key: String, value: PropertyInput)],
        unset: [String],
        type: ConnectionType
    ) throws(CatalogError) -> ValidatedProperties {
        let schema = type.schema
        var seen = [PropertyKey: String]()
        let (setPlain, secrets) = try resolve(set, schema: schema, seen: &seen)
        var unsetKeys = Set<PropertyKey>()
        for typed in unset {
            let key = try canonical(typed, schema: schema, seen: &seen)
            unsetKeys.insert(key)
        }
        let provider = type.provider(named: setPlain[.provider] ?? existing[.provider])
        for key in schema.requiredKeys(for: provider) where unsetKeys.contains(key) {
            throw CatalogError(
                .missingProperty,
                "cannot unset \(key): \(describe(type, provider)) connections require it; SET a new value instead",
                details: ["property": key.rawValue])
        }
        var plain = existing
        for key in unsetKeys { plain[key] = nil }
        // An unset key with a default gets the default back in `complete`.
        plain.merge(setPlain) { _, new in new }
        let removed = unsetKeys.intersection(sealedKeys).intersection(schema.sealed)
        let sealedPresent = sealedKeys.subtracting(unsetKeys).union(secrets.keys)
        var notices: [ValidationNotice] = []
        let properties = try complete(
            plain: plain, sealedPresent: sealedPresent, secrets: secrets, schema: schema, unset: unsetKeys,
            notices: &notices)
        // Only a REGION (or PROVIDER) this statement sets is news; one kept from before was noticed then.
        if setPlain[.region] == nil && setPlain[.provider] == nil { notices.removeAll() }
        return ValidatedProperties(properties: properties, secrets: secrets, removedSecrets: removed, notices: notices)
    }

    /// Validates an ALTER of `connection`: its properties, sealed keys and type.
    package static func validateAlter(
        _ connection: Connection, set: [(key: String, value: PropertyInput)], unset: [String]
    ) throws(CatalogError) -> ValidatedProperties {
        try validateAlter(
            existing: connection.properties, sealedKeys: Set(connection.sealedFields.keys), set: set, unset: unset,
            type: connection.type)
    }
}

// MARK: - Keys

extension PropertyValidator {
    /// Splits typed assignments into plain values and secrets under canonical keys.
    ///
    /// A sealed key's value stays in wiped storage (`.wiped` input is never made a `String`); a plain key's
    /// value becomes a `String`.
    static func resolve(
        _ assignments: [(key: String, value: PropertyInput)], schema: PropertySchema,
        seen: inout [PropertyKey: String]
    ) throws(CatalogError) -> (plain: [PropertyKey: String], secrets: [PropertyKey: PlaintextSecret]) {
        // Room for the defaults `complete` adds, so that it does not grow the table.
        var plain = [PropertyKey: String](minimumCapacity: assignments.count + schema.defaults.count)
        var secrets = [PropertyKey: PlaintextSecret]()
        for (typed, value) in assignments {
            let key = try canonical(typed, schema: schema, seen: &seen)
            if schema.isSealed(key) { secrets[key] = value.secret } else { plain[key] = value.text }
        }
        return (plain, secrets)
    }

    /// The canonical key of `typed`, recorded in `seen`.
    ///
    /// - Throws: `.unknownProperty`, `.duplicateProperty`, or `.invalidValue` for the generated EXTERNAL_ID.
    static func canonical(
        _ typed: String, schema: PropertySchema, seen: inout [PropertyKey: String]
    ) throws(CatalogError) -> PropertyKey {
        guard let key = schema.canonicalKey(typed) else { throw unknown(typed, schema: schema) }
        if schema.isGenerated(key) {
            throw CatalogError(
                .invalidValue,
                "\(key) is generated by the catalog and cannot be set or unset",
                details: ["property": key.rawValue, "reason": "generated"])
        }
        // One lookup both records the key and finds an earlier spelling of it.
        if let earlier = seen.updateValue(typed, forKey: key) {
            let spelled = earlier == typed ? "'\(typed)'" : "'\(earlier)' and '\(typed)'"
            throw CatalogError(
                .duplicateProperty,
                "property \(key) is given more than once (\(spelled)); give it once",
                details: ["property": key.rawValue])
        }
        return key
    }

    static func unknown(_ typed: String, schema: PropertySchema) -> CatalogError {
        let valid = schema.keys.map(\.rawValue).joined(separator: ", ")
        var details = ["property": typed, "valid": valid]
        var message = "unknown property '\(typed)' for \(schema.type) connections"
        if let suggestion = EditDistance.nearest(to: typed, in: schema.suggestionCandidates) {
            details["suggestion"] = suggestion
            message += "; did you mean \(suggestion)?"
        }
        message += "; valid properties: \(valid)"
        return CatalogError(.unknownProperty, message, details: details)
    }

    static func describe(_ type: ConnectionType, _ provider: Provider?) -> String {
        if type == .cloudFunction, let provider { return "\(provider) \(type)" }
        return type.rawValue
    }
}

// MARK: - Completeness and values

extension PropertyValidator {
    /// Normalizes, checks and completes `plain`; `sealedPresent` are the sealed keys the record will have.
    /// What passes but deserves a look (a REGION outside the published list) is added to `notices`.
    static func complete(
        plain input: consuming [PropertyKey: String],
        sealedPresent: Set<PropertyKey>,
        secrets: [PropertyKey: PlaintextSecret],
        schema: PropertySchema,
        unset: Set<PropertyKey>,
        notices: inout [ValidationNotice]
    ) throws(CatalogError) -> [PropertyKey: String] {
        var plain = consume input
        let type = schema.type

        // PROVIDER first: every other rule depends on it.
        var provider = type.impliedProvider
        if type == .cloudFunction, let text = plain[.provider] {
            let parsed = try Provider(validating: text)
            plain[.provider] = parsed.rawValue
            provider = parsed
        }

        // Each value's own form, in schema order so the first error is deterministic.
        for key in schema.keys {
            if let value = plain[key] {
                try checkValue(value, key: key, provider: provider, schema: schema)
            } else if let secret = secrets[key] {
                try checkSecret(secret, key: key)
            }
        }
        // A well-formed REGION the provider does not publish passes, with a notice.
        if let provider, let region = plain[.region],
            let notice = ValidationNotice.unknownRegion(region, for: provider)
        {
            notices.append(notice)
        }

        // Required keys, after defaults for whatever the provider does not require.
        let required = schema.requiredKeys(for: provider)
        for (key, value) in schema.defaults where plain[key] == nil && !required.contains(key) {
            plain[key] = value
        }
        let present = { (key: PropertyKey) in plain[key] != nil || sealedPresent.contains(key) }
        let missing = required.filter { !present($0) }
        if !missing.isEmpty {
            let names = missing.map(\.rawValue).joined(separator: ", ")
            throw CatalogError(
                .missingProperty,
                "\(describe(type, provider)) connections require \(names); add \(missing.count == 1 ? "it" : "them")",
                details: ["property": names])
        }

        // Credentials: no half-given form, at least one complete form, and what each form needs besides.
        if !schema.credentialForms.isEmpty {
            for form in schema.credentialForms {
                let given = form.keys.filter(present)
                if !given.isEmpty, given.count < form.keys.count {
                    let absent = form.keys.filter { !present($0) }.map(\.rawValue).joined(separator: ", ")
                    let givenNames = given.map(\.rawValue).joined(separator: ", ")
                    let fix = unset.isDisjoint(with: form.keys) ? "add \(absent)" : "unset \(givenNames) too"
                    throw CatalogError(
                        .missingProperty,
                        "\(form.keys.map(\.rawValue).joined(separator: " and ")) go together;"
                            + " \(givenNames) is given without \(absent); \(fix)",
                        details: ["property": absent])
                }
            }
            let complete = schema.credentialForms.filter { $0.keys.allSatisfy(present) }
            if complete.isEmpty {
                let forms = schema.credentialForms.map(\.description).joined(separator: ", or ")
                throw CatalogError(
                    .missingProperty,
                    "\(type) connections need credentials: \(forms)",
                    details: [
                        "property": schema.credentialForms.flatMap(\.keys).map(\.rawValue).joined(separator: ", ")
                    ])
            }
            for form in complete {
                let absent = form.requires.filter { !present($0) }
                if !absent.isEmpty {
                    let names = absent.map(\.rawValue).joined(separator: ", ")
                    throw CatalogError(
                        .missingProperty,
                        "\(type) connections with \(form.keys.map(\.rawValue).joined(separator: " + ")) also need"
                            + " \(names); add it",
                        details: ["property": names])
                }
            }
        }

        // Rules across keys: an AWS role lives in the partition of the region.
        if provider == .aws, let arn = plain[.roleARN], let region = plain[.region],
            case .wrongPartition(let expected, let found) = RoleARNRules.check(arn, for: .aws, region: region)
        {
            throw CatalogError(
                .invalidValue,
                "ROLE_ARN '\(arn)' is in partition '\(found)' but REGION '\(region)' is in '\(expected)';"
                    + " use arn:\(expected):iam::… (aws-cn exactly for regions starting with cn-)",
                details: ["property": PropertyKey.roleARN.rawValue, "expected": "arn:\(expected):iam::"])
        }
        return plain
    }

    /// Checks one plain value's form; the message shows the value and the expected form.
    static func checkValue(
        _ value: String, key: PropertyKey, provider: Provider?, schema: PropertySchema
    ) throws(CatalogError) {
        func invalid(_ expected: String) -> CatalogError {
            CatalogError(
                .invalidValue, "\(key) '\(value)' is not valid; expected \(expected)",
                details: ["property": key.rawValue, "expected": expected])
        }
        let count = value.utf8.count
        if count == 0 {
            throw CatalogError(.invalidValue, "\(key) must not be empty", details: ["property": key.rawValue])
        }
        if count > maximumValueLength {
            throw CatalogError(
                .invalidValue, "\(key) is \(count) bytes long; the limit is \(maximumValueLength)",
                details: ["property": key.rawValue])
        }
        switch key {
        case .provider:
            break  // parsed before the values
        case .region:
            if let provider, !RegionRules.isValid(value, for: provider) {
                let expected = RegionRules.expected(for: provider)
                let nearest = RegionCatalog.nearest(to: value, for: provider)
                throw CatalogError(
                    .invalidValue,
                    "\(key) '\(value)' is not valid; expected \(expected); the nearest known \(provider) region is"
                        + " \(nearest)",
                    details: ["property": key.rawValue, "expected": expected, "suggestion": nearest])
            }
        case .roleARN:
            // The partition is judged later against REGION, so a malformed REGION is reported first.
            if let provider, RoleARNRules.check(value, for: provider, region: nil) != .valid {
                throw invalid("\(RoleARNRules.expected(for: provider)) for \(provider)")
            }
        case .namespace:
            if !(1...128).contains(count)
                || !value.utf8.allSatisfy({ ASCII.isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
            {
                throw invalid("1 to 128 letters, digits, underscores and hyphens, e.g. default")
            }
        case .codeBucket:
            if let provider, !BucketRules.isValid(value, for: provider) {
                throw invalid(BucketRules.expected(for: provider))
            }
        case .endpoint:
            switch EndpointRules.check(value) {
            case .valid: break
            case .insecureScheme:
                throw CatalogError(
                    .invalidValue, "ENDPOINT '\(value)' uses http; use https:// or give the host name alone",
                    details: ["property": key.rawValue, "expected": EndpointRules.expected])
            case .malformed: throw invalid(EndpointRules.expected)
            }
        case .appID:
            if !BucketRules.isAppID(value.utf8) { throw invalid("the Tencent Cloud APPID, 5 to 20 digits") }
        default:
            // Key ids (ACCESS_ID, COS's ACCESS_KEY, ACCESS_KEY_ID): printable characters without spaces.
            if !value.utf8.allSatisfy(ASCII.isVisible) {
                throw invalid("printable characters without spaces")
            }
        }
    }

    /// Checks a secret's form without ever putting its value in the error.
    static func checkSecret(_ secret: PlaintextSecret, key: PropertyKey) throws(CatalogError) {
        let problem: String? = secret.withBytes { bytes in
            if bytes.isEmpty { return "must not be empty" }
            if bytes.count > maximumValueLength { return "is longer than \(maximumValueLength) bytes" }
            if !bytes.allSatisfy(ASCII.isVisible) { return "may contain only printable characters without spaces" }
            return nil
        }
        if let problem {
            throw CatalogError(
                .invalidValue, "\(key) \(problem) (its value is secret and not shown)",
                details: ["property": key.rawValue])
        }
    }
}
