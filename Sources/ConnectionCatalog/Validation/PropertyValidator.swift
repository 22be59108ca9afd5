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
    /// The work is done over the schema's slots (`PropertySchema.Slots`): no dictionary or set is built but the
    /// result's two.
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
        let slots = PropertySchema.slots(for: type)
        var seen = SlotSet()
        var given = try claimAll(assignments, slots: slots, seen: &seen)
        var notices: [ValidationNotice] = []
        try complete(
            plain: &given.plain, sealedPresent: given.secrets.occupied, secrets: given.secrets, slots: slots,
            unset: SlotSet(), existing: [:], notices: &notices)
        var properties = [PropertyKey: String](minimumCapacity: given.plain.occupied.count)
        for slot in given.plain.occupied { properties[slots.keys[slot]] = given.plain[slot] }
        return ValidatedProperties(properties: properties, secrets: given.secretsByKey(slots), notices: notices)
    }

    /// Validates an ALTER … SET or UNSET against the connection's current properties.
    ///
    /// The result is checked as a whole, so changing PROVIDER re-validates every value under the new
    /// provider's rules. Unsetting a key that is valid but absent changes nothing; unsetting a defaulted key
    /// restores its default. Keys in `existing` that this program does not know (written by a newer one) are
    /// kept unchanged and unchecked, beside the schema's slots.
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
        let slots = PropertySchema.slots(for: type)
        // SET's keys, then UNSET's, share one `seen`: a key in both is given twice.
        var seen = SlotSet()
        let given = try claimAll(set, slots: slots, seen: &seen)
        var unsetSlots = SlotSet()
        for index in unset.indices {
            let slot = try claim(unset[index], slots: slots, seen: &seen) { slot in
                spelling(of: slot, among: set.map(\.key) + unset[..<index], slots: slots)
            }
            unsetSlots.insert(slot)
        }
        let provider = type.provider(named: slots.provider.flatMap { given.plain[$0] } ?? existing[.provider])
        for slot in slots.required(for: provider).list where unsetSlots.contains(slot) {
            let key = slots.keys[slot]
            throw CatalogError(
                .missingProperty,
                "cannot unset \(key): \(describe(type, provider)) connections require it; SET a new value instead",
                details: ["property": key.rawValue])
        }
        // The record's values in slots, then this statement's; an unset key with a default gets the default back
        // in `complete`.
        var plain = SlotValues<String>()
        var sealedPresent = given.secrets.occupied
        var removed = Set<PropertyKey>()
        for slot in 0..<slots.valueCount {
            let key = slots.keys[slot]
            if unsetSlots.contains(slot) {
                if slots.sealed.contains(slot) && sealedKeys.contains(key) { removed.insert(key) }
                continue
            }
            plain[slot] = given.plain[slot] ?? existing[key]
            if sealedKeys.contains(key) { sealedPresent.insert(slot) }
        }
        var notices: [ValidationNotice] = []
        try complete(
            plain: &plain, sealedPresent: sealedPresent, secrets: given.secrets, slots: slots, unset: unsetSlots,
            existing: existing, notices: &notices)
        // Only a REGION (or PROVIDER) this statement sets is news; one kept from before was noticed then.
        let setsRegion = slots.region.map { given.plain[$0] != nil } ?? false
        let setsProvider = slots.provider.map { given.plain[$0] != nil } ?? false
        if !setsRegion && !setsProvider { notices.removeAll() }
        // Keys outside the slots stay as they were.
        var properties = existing
        for slot in 0..<slots.valueCount { properties[slots.keys[slot]] = plain[slot] }
        return ValidatedProperties(
            properties: properties, secrets: given.secretsByKey(slots), removedSecrets: removed, notices: notices)
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
    /// The typed assignments in their slots (claimed in `seen`, in the order typed), each value where the schema
    /// keeps it: a sealed key's in wiped storage, a plain key's as a `String`.
    static func claimAll(
        _ assignments: [(key: String, value: PropertyInput)], slots: PropertySchema.Slots, seen: inout SlotSet
    ) throws(CatalogError) -> GivenProperties {
        var given = GivenProperties()
        for (index, (typed, value)) in assignments.enumerated() {
            let slot = try claim(typed, slots: slots, seen: &seen) { slot in
                spelling(of: slot, among: assignments[..<index].lazy.map(\.key), slots: slots)
            }
            given.assign(value, to: slot, in: slots)
        }
        return given
    }

    /// The slot of `typed`, added to `seen`.
    ///
    /// `earlier` gives the spelling that claimed a slot before, for the duplicate's message; it runs only then.
    ///
    /// - Throws: `.unknownProperty`, `.duplicateProperty`, or `.invalidValue` for the generated EXTERNAL_ID.
    static func claim(
        _ typed: String, slots: PropertySchema.Slots, seen: inout SlotSet, earlier: (Int) -> String
    ) throws(CatalogError) -> Int {
        guard let slot = slots.slot(ofTyped: typed) else { throw unknown(typed, schema: slots.type.schema) }
        if slot == slots.externalID {
            let key = slots.keys[slot]
            throw CatalogError(
                .invalidValue,
                "\(key) is generated by the catalog and cannot be set or unset",
                details: ["property": key.rawValue, "reason": "generated"])
        }
        if seen.contains(slot) {
            let key = slots.keys[slot]
            let earlier = earlier(slot)
            let spelled = earlier == typed ? "'\(typed)'" : "'\(earlier)' and '\(typed)'"
            throw CatalogError(
                .duplicateProperty,
                "property \(key) is given more than once (\(spelled)); give it once",
                details: ["property": key.rawValue])
        }
        seen.insert(slot)
        return slot
    }

    /// The first of `typed` (keys already claimed, in order) that names `slot`.
    static func spelling(of slot: Int, among typed: some Sequence<String>, slots: PropertySchema.Slots) -> String {
        guard let spelling = typed.first(where: { slots.slot(ofTyped: $0) == slot }) else {
            preconditionFailure("slot \(slot) was claimed by none of the keys before it")
        }
        return spelling
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
    /// Normalizes, checks and completes `plain`, the values of the schema's slots; `sealedPresent` are the
    /// slots whose sealed values the record will have, `unset` the slots the statement unsets. `existing` holds
    /// the keys outside the slots (ALTER's record), read only for a cross-key rule's key the schema lacks.
    /// What passes but deserves a look (a REGION outside the published list) is added to `notices`.
    static func complete(
        plain: inout SlotValues<String>,
        sealedPresent: SlotSet,
        secrets: SlotValues<PlaintextSecret>,
        slots: PropertySchema.Slots,
        unset: SlotSet,
        existing: [PropertyKey: String],
        notices: inout [ValidationNotice]
    ) throws(CatalogError) {
        let type = slots.type

        // PROVIDER first: every other rule depends on it (a CLOUD_FUNCTION schema always has its slot).
        var provider = type.impliedProvider
        if type == .cloudFunction, let slot = slots.provider, let text = plain[slot] {
            let parsed = try Provider(validating: text)
            plain[slot] = parsed.rawValue
            provider = parsed
        }

        // Each value's own form, in schema order so the first error is deterministic.
        for slot in 0..<slots.valueCount {
            if let value = plain[slot] {
                try checkValue(value, key: slots.keys[slot], rule: slots.rules[slot], provider: provider)
            } else if let secret = secrets[slot] {
                try checkSecret(secret, key: slots.keys[slot])
            }
        }
        // A key the rules across keys read: from its slot, or from the record if the schema lacks it.
        func value(_ slot: Int?, _ key: PropertyKey) -> String? {
            if let slot { plain[slot] } else { existing[key] }
        }
        // A well-formed REGION the provider does not publish passes, with a notice.
        if let provider, let region = value(slots.region, .region),
            let notice = ValidationNotice.unknownRegion(region, for: provider)
        {
            notices.append(notice)
        }

        // Required keys, after defaults for whatever the provider does not require.
        let required = slots.required(for: provider)
        for entry in slots.defaults where plain[entry.slot] == nil && !required.set.contains(entry.slot) {
            plain[entry.slot] = entry.value
        }
        let present = plain.occupied.union(sealedPresent)
        func listed(_ list: [Int], separator: String = ", ") -> String {
            list.map { slots.keys[$0].rawValue }.joined(separator: separator)
        }
        if !required.set.isSubset(of: present) {
            let missing = required.list.filter { !present.contains($0) }
            let names = listed(missing)
            throw CatalogError(
                .missingProperty,
                "\(describe(type, provider)) connections require \(names); add \(missing.count == 1 ? "it" : "them")",
                details: ["property": names])
        }

        // Credentials: no half-given form, at least one complete form, and what each form needs besides.
        if !slots.credentialForms.isEmpty {
            for form in slots.credentialForms {
                let given = form.keySet.intersection(present)
                if !given.isEmpty, given != form.keySet {
                    let absent = listed(form.keys.filter { !present.contains($0) })
                    let givenNames = listed(form.keys.filter { present.contains($0) })
                    let fix = unset.isDisjoint(with: form.keySet) ? "add \(absent)" : "unset \(givenNames) too"
                    throw CatalogError(
                        .missingProperty,
                        "\(listed(form.keys, separator: " and ")) go together;"
                            + " \(givenNames) is given without \(absent); \(fix)",
                        details: ["property": absent])
                }
            }
            if !slots.credentialForms.contains(where: { $0.keySet.isSubset(of: present) }) {
                let schema = type.schema
                let forms = schema.credentialForms.map(\.description).joined(separator: ", or ")
                throw CatalogError(
                    .missingProperty,
                    "\(type) connections need credentials: \(forms)",
                    details: [
                        "property": schema.credentialForms.flatMap(\.keys).map(\.rawValue).joined(separator: ", ")
                    ])
            }
            for form in slots.credentialForms
            where form.keySet.isSubset(of: present) && !form.requiresSet.isSubset(of: present) {
                let names = listed(form.requires.filter { !present.contains($0) })
                throw CatalogError(
                    .missingProperty,
                    "\(type) connections with \(listed(form.keys, separator: " + "))"
                        + " also need \(names); add it",
                    details: ["property": names])
            }
        }

        // Rules across keys: an AWS role lives in the partition of the region.
        if provider == .aws, let arn = value(slots.roleARN, .roleARN), let region = value(slots.region, .region),
            case .wrongPartition(let expected, let found) = RoleARNRules.check(arn, for: .aws, region: region)
        {
            throw CatalogError(
                .invalidValue,
                "ROLE_ARN '\(arn)' is in partition '\(found)' but REGION '\(region)' is in '\(expected)';"
                    + " use arn:\(expected):iam::… (aws-cn exactly for regions starting with cn-)",
                details: ["property": PropertyKey.roleARN.rawValue, "expected": "arn:\(expected):iam::"])
        }
    }

    /// Checks one plain value's form; the message shows the value and the expected form.
    static func checkValue(
        _ value: String, key: PropertyKey, rule: PropertySchema.ValueRule, provider: Provider?
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
        switch rule {
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
        case .keyID:
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
