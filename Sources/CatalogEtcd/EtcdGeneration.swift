internal import Synchronization

/// Which generation of a catalog is live: the value of the pointer key `/<prefix>/_generation` and its mod
/// revision, as one answer of etcd showed them.
///
/// An import or a restore writes a whole new generation beside the live one and then puts the pointer in one
/// `Txn` (`EtcdReplacement`); every commit compares the pointer's mod revision, so a change set planned against
/// the old generation conflicts after the switch instead of writing into a generation nobody reads.
struct EtcdGenerationPin: Sendable, Hashable {
    /// The live generation's id; `nil` for the first generation, whose keys sit directly under the prefix.
    var id: String?
    /// The pointer key's mod revision; 0 while it is absent (the catalog still in its first generation).
    var revision: Int64

    static let first = EtcdGenerationPin(id: nil, revision: 0)

    /// The pin a range answer for the pointer key shows.
    init(pointer answer: RangeResponse?) {
        guard let entry = answer?.kvs?.first else {
            self = .first
            return
        }
        id = String(decoding: entry.value?.bytes ?? [], as: UTF8.self)
        revision = entry.mod_revision?.value ?? 0
    }

    init(id: String?, revision: Int64) {
        self.id = id
        self.revision = revision
    }
}

/// The newest generation pin a store has seen, shared by the store and its snapshots: a snapshot that finds the
/// pointer moved tells the store, so the next commit compares the new revision and writes the new generation.
final class EtcdGenerationState: Sendable {
    private let state: Mutex<(pin: EtcdGenerationPin, layout: EtcdKeyLayout)>

    init(layout: EtcdKeyLayout) { state = Mutex((.first, layout.inGeneration(nil))) }

    /// The newest pin seen and the layout of its generation.
    var current: (pin: EtcdGenerationPin, layout: EtcdKeyLayout) { state.withLock { $0 } }

    /// Takes `pin` if it is newer than the one held (the pointer only moves forward); returns the layout of
    /// `pin`'s generation either way.
    @discardableResult
    func adopt(_ pin: EtcdGenerationPin) -> EtcdKeyLayout {
        state.withLock { current in
            if pin.revision > current.pin.revision { current = (pin, current.layout.inGeneration(pin.id)) }
            return current.pin.id == pin.id ? current.layout : current.layout.inGeneration(pin.id)
        }
    }
}
