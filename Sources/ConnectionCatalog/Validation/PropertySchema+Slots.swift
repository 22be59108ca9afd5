extension PropertySchema {
    /// The schema resolved to slots once, when it is made, for the validator.
    ///
    /// Each key the schema knows is a small index: its `keys` in order, then EXTERNAL_ID. Required keys
    /// (per provider), defaults, sealed keys and credential forms are lists and masks of slots, so validating a
    /// statement compares bytes and ANDs words instead of hashing strings and building sets. A typed key is
    /// matched against every spelling (canonical keys and aliases) by an ASCII case-insensitive byte compare.
    /// A class, so that the validator holds one reference where a struct of a dozen arrays retained each.
    final class Slots: Sendable {
        /// The type the schema describes.
        let type: ConnectionType
        /// The canonical key of each slot: the schema's `keys` in order, then EXTERNAL_ID.
        let keys: [PropertyKey]
        /// The slots that hold values, `0..<valueCount`: the schema's `keys` (EXTERNAL_ID's slot never does).
        let valueCount: Int
        /// EXTERNAL_ID's slot, the last; a user who types it is told it is generated.
        let externalID: Int
        /// The rule each value slot's value follows.
        let rules: [ValueRule]
        /// The sealed slots (EXTERNAL_ID's among them).
        let sealed: SlotSet
        /// The slot of PROVIDER, `REGION` and `ROLE_ARN`, when the schema has that key.
        let provider: Int?
        let region: Int?
        let roleARN: Int?
        /// Values filled in when a slot is empty and not required for the provider.
        let defaults: [Default]
        /// `PropertySchema.credentialForms` in slots, in the same order.
        let credentialForms: [CredentialSlots]
        /// The required slots for no provider yet, then for each provider (`index(of:)`).
        private let requiredByProvider: [Required]
        /// The bytes of every spelling, end to end; `spellings` says where each lies and its slot.
        private let spellingBytes: [UInt8]
        private let spellings: [Spelling]
        /// Upper-cased spelling to slot, for a typed key that is not ASCII: `String` equality then decides, as
        /// it always has (a byte compare would not find a spelling canonically equal to a non-ASCII one).
        private let fallback: [String: Int]

        /// The required slots of one provider: in order (the message lists them so), and as a mask.
        struct Required: Sendable {
            let list: [Int]
            let set: SlotSet
        }

        /// A slot's default value.
        struct Default: Sendable {
            let slot: Int
            let value: String
        }

        /// A credential form's keys and what it requires besides, in order and as masks.
        struct CredentialSlots: Sendable {
            let keys: [Int]
            let keySet: SlotSet
            let requires: [Int]
            let requiresSet: SlotSet
        }

        /// Where one spelling's bytes lie in `spellingBytes`, and the slot it names.
        private struct Spelling: Sendable {
            let start: Int
            let count: Int
            var slot: Int
        }

        init(
            type: ConnectionType,
            keys schemaKeys: [PropertyKey],
            required: [PropertyKey],
            requiredForProvider: [Provider: [PropertyKey]],
            defaults: [PropertyKey: String],
            sealed: Set<PropertyKey>,
            aliases: [(spelling: String, key: PropertyKey)],
            credentialForms: [CredentialForm]
        ) {
            precondition(schemaKeys.count <= SlotValues<String>.capacity, "a schema has at most eight keys")
            precondition(Set(schemaKeys).count == schemaKeys.count, "a schema lists each key once")
            precondition(!schemaKeys.contains(.externalID), "EXTERNAL_ID is generated, never a schema key")
            self.type = type
            let keys = schemaKeys + [.externalID]
            self.keys = keys
            valueCount = schemaKeys.count
            externalID = schemaKeys.count
            rules = schemaKeys.map(ValueRule.init)
            self.sealed = SlotSet(keys.indices.filter { sealed.contains(keys[$0]) || $0 == schemaKeys.count })
            provider = schemaKeys.firstIndex(of: .provider)
            region = schemaKeys.firstIndex(of: .region)
            roleARN = schemaKeys.firstIndex(of: .roleARN)

            func valueSlot(_ key: PropertyKey) -> Int {
                guard let slot = schemaKeys.firstIndex(of: key) else {
                    preconditionFailure("\(key) is required, defaulted or a credential but not a key of the schema")
                }
                return slot
            }
            self.defaults = defaults.map { Default(slot: valueSlot($0.key), value: $0.value) }
            self.credentialForms = credentialForms.map { form in
                let keys = form.keys.map(valueSlot)
                let requires = form.requires.map(valueSlot)
                return CredentialSlots(
                    keys: keys, keySet: SlotSet(keys), requires: requires, requiresSet: SlotSet(requires))
            }
            var requiredByProvider = [Required](repeating: Required(list: [], set: SlotSet()), count: 4)
            for provider in [nil] + Provider.allCases {
                let list = (required + (provider.flatMap { requiredForProvider[$0] } ?? [])).map(valueSlot)
                requiredByProvider[Self.index(of: provider)] = Required(list: list, set: SlotSet(list))
            }
            self.requiredByProvider = requiredByProvider

            // Canonical keys as they are, aliases upper-cased; a later spelling replaces an equal earlier one.
            var bytes: [UInt8] = []
            var spellings: [Spelling] = []
            var fallback: [String: Int] = [:]
            func add(_ spelling: String, slot: Int) {
                precondition(spelling.utf8.allSatisfy { $0 < 0x80 }, "a spelling outside ASCII needs String equality")
                fallback[spelling] = slot
                let utf8 = Array(spelling.utf8)
                if let index = spellings.firstIndex(where: { bytes[$0.start..<$0.start + $0.count].elementsEqual(utf8) }
                ) {
                    spellings[index].slot = slot
                } else {
                    spellings.append(Spelling(start: bytes.count, count: utf8.count, slot: slot))
                    bytes += utf8
                }
            }
            for (slot, key) in keys.enumerated() { add(key.rawValue, slot: slot) }
            for alias in aliases {
                guard let slot = keys.firstIndex(of: alias.key) else {
                    preconditionFailure("alias \(alias.spelling) names \(alias.key), not a key of the schema")
                }
                add(ASCII.uppercased(alias.spelling), slot: slot)
            }
            spellingBytes = bytes
            self.spellings = spellings
            self.fallback = fallback
        }

        /// The required slots when the provider is `provider` (or not yet known, when `nil`); the slots of
        /// `PropertySchema.requiredKeys(for:)`, in its order.
        func required(for provider: Provider?) -> Required {
            requiredByProvider[Self.index(of: provider)]
        }

        private static func index(of provider: Provider?) -> Int {
            switch provider {
            case nil: 0
            case .aliyun?: 1
            case .tencent?: 2
            case .aws?: 3
            }
        }

        /// The slot of `typed` (any case, aliases accepted), or `nil` if the schema has no such key.
        ///
        /// An ASCII key is compared byte by byte, upper-cased, with each spelling of its length; any other goes
        /// through `fallback`, which is how every key was once looked up.
        func slot(ofTyped typed: String) -> Int? {
            switch typed.utf8.withContiguousStorageIfAvailable(match) ?? .notASCII {
            case .found(let slot): slot
            case .absent: nil
            case .notASCII: fallback[ASCII.uppercased(typed)]
            }
        }

        private enum Match {
            case found(Int)
            case absent
            case notASCII
        }

        private func match(_ typed: UnsafeBufferPointer<UInt8>) -> Match {
            for byte in typed where byte >= 0x80 { return .notASCII }
            return spellingBytes.withUnsafeBufferPointer { bytes in
                spellings.withUnsafeBufferPointer { spellings in
                    for spelling in spellings where spelling.count == typed.count {
                        var offset = 0
                        while offset < typed.count, ASCII.uppercased(typed[offset]) == bytes[spelling.start + offset] {
                            offset += 1
                        }
                        if offset == typed.count { return .found(spelling.slot) }
                    }
                    return .absent
                }
            }
        }
    }

    /// The rule a plain value follows, decided from its key once, when the schema is made.
    enum ValueRule: Sendable {
        /// PROVIDER, parsed before the values.
        case provider
        case region
        case roleARN
        case namespace
        case codeBucket
        case endpoint
        case appID
        /// Key ids (ACCESS_ID, COS's ACCESS_KEY, ACCESS_KEY_ID) and any other key: printable characters without
        /// spaces.
        case keyID

        init(_ key: PropertyKey) {
            switch key {
            case .provider: self = .provider
            case .region: self = .region
            case .roleARN: self = .roleARN
            case .namespace: self = .namespace
            case .codeBucket: self = .codeBucket
            case .endpoint: self = .endpoint
            case .appID: self = .appID
            default: self = .keyID
            }
        }
    }
}
