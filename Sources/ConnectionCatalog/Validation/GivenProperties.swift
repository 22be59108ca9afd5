/// What one CREATE or ALTER … SET gives, by slot: plain values as `String`s, sealed values as secrets.
///
/// A sealed key's value goes from wiped storage (`.wiped` input) straight into a `PlaintextSecret` and is never
/// a `String`; a plain key's value becomes one (it is stored and shown in plain anyway).
struct GivenProperties {
    var plain = SlotValues<String>()
    var secrets = SlotValues<PlaintextSecret>()

    /// Records `value` for `slot`, as a secret if the slot is sealed.
    mutating func assign(_ value: PropertyInput, to slot: Int, in slots: PropertySchema.Slots) {
        if slots.sealed.contains(slot) { secrets[slot] = value.secret } else { plain[slot] = value.text }
    }

    /// The secrets under their canonical keys, for `ValidatedProperties`.
    func secretsByKey(_ slots: PropertySchema.Slots) -> [PropertyKey: PlaintextSecret] {
        if secrets.occupied.isEmpty { return [:] }
        var result = [PropertyKey: PlaintextSecret](minimumCapacity: secrets.occupied.count)
        for slot in secrets.occupied { result[slots.keys[slot]] = secrets[slot] }
        return result
    }
}
