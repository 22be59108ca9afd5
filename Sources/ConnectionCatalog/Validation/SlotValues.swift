/// One optional value per value slot of a schema (the indices of `PropertySchema.keys`), held inline.
///
/// A statement's plain values and secrets live here while it is validated: no dictionary, no hashing and no
/// heap allocation until the result is built. A schema has at most `capacity` keys (checked when it is made).
struct SlotValues<Value> {
    /// The most slots this holds.
    static var capacity: Int { 8 }

    // Eight stored properties, not a tuple: a generic tuple's layout is looked up at run time, and the switch
    // below projects one property where a tuple was copied whole.
    private var slot0: Value? = nil
    private var slot1: Value? = nil
    private var slot2: Value? = nil
    private var slot3: Value? = nil
    private var slot4: Value? = nil
    private var slot5: Value? = nil
    private var slot6: Value? = nil
    private var slot7: Value? = nil
    /// The slots that hold a value.
    private(set) var occupied = SlotSet()

    init() {}

    subscript(slot: Int) -> Value? {
        get {
            switch slot {
            case 0: slot0
            case 1: slot1
            case 2: slot2
            case 3: slot3
            case 4: slot4
            case 5: slot5
            case 6: slot6
            case 7: slot7
            default: preconditionFailure("slot \(slot) is outside SlotValues")
            }
        }
        set {
            switch slot {
            case 0: slot0 = newValue
            case 1: slot1 = newValue
            case 2: slot2 = newValue
            case 3: slot3 = newValue
            case 4: slot4 = newValue
            case 5: slot5 = newValue
            case 6: slot6 = newValue
            case 7: slot7 = newValue
            default: preconditionFailure("slot \(slot) is outside SlotValues")
            }
            if newValue == nil { occupied.remove(slot) } else { occupied.insert(slot) }
        }
    }
}
