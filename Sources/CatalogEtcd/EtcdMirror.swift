internal import CatalogStorage
internal import Foundation
internal import Synchronization

/// A node-local copy of some keyspaces of a catalog in etcd, kept current by a watch, so that reads outside a
/// write (DESC, SHOW) are served from memory in microseconds instead of a network round trip
/// (`EtcdStore.Options.readCacheKeyspaces`, `MirroredReading`).
///
/// One thread loads the keyspaces at one revision (paged ranges, all at that revision), then watches the whole
/// catalog prefix from the revision after and applies each commit; every state it publishes is one revision of
/// the cluster, immutable, so a reader holding it sees one consistent snapshot. A reader asks for a state at
/// least as new as this client's newest write (read-your-writes); one that does not come within `maxWait`, or
/// a mirror still loading or cut off from every member, makes the reader go to etcd instead. A watch whose
/// start was compacted away reloads the copy. Each commit copies the arrays of the keyspaces it touches, so a
/// commit costs time in proportion to those keyspaces' size: meant for the catalog's current records (about a
/// hundred thousand entries), not its history.
final class EtcdMirror: Sendable {
    /// One entry as the mirror holds it.
    struct Entry: Sendable {
        let key: [UInt8]
        let value: [UInt8]
        let modRevision: Int64
    }

    /// One revision of the mirrored keyspaces.
    final class State: Sendable {
        let revision: Int64
        /// The entries of each mirrored keyspace in key order, by keyspace handle; `nil` for one not mirrored.
        let keyspaces: [[Entry]?]

        /// The layout of the generation the copy holds (the one the pointer named at the load).
        let layout: EtcdKeyLayout

        init(revision: Int64, keyspaces: [[Entry]?], layout: EtcdKeyLayout) {
            self.revision = revision
            self.keyspaces = keyspaces
            self.layout = layout
        }
    }

    private let client: EtcdClient
    private let layout: EtcdKeyLayout
    private let mirrored: [Keyspace]
    private let keyspaceCount: Int
    private let pageSize: Int
    private let giveUpAfter: Double
    private let connectTimeout: Double
    private let maxWait: Double
    private let current = Mutex<State?>(nil)
    private let started = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    /// The watch in use, for `stop`.
    private let watch = Mutex<EtcdWatch?>(nil)
    /// How many reads the copy served (for tests and statistics).
    let servedReads = Atomic<Int>(0)

    init(
        client: EtcdClient, layout: EtcdKeyLayout, mirrored: [Keyspace], keyspaceCount: Int, pageSize: Int,
        giveUpAfter: Double, connectTimeout: Double, maxWait: Double
    ) {
        self.client = client
        self.layout = layout
        self.mirrored = mirrored
        self.keyspaceCount = keyspaceCount
        self.pageSize = pageSize
        self.giveUpAfter = giveUpAfter
        self.connectTimeout = connectTimeout
        self.maxWait = maxWait
    }

    /// A state at least as new as this client's newest write, or `nil` (read etcd instead). The first call starts
    /// the mirror's thread.
    func state() -> State? {
        if !started.load(ordering: .acquiring),
            started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        {
            let thread = Thread { [self] in run() }
            thread.name = "EtcdMirror"
            thread.start()
        }
        let needed = client.newestWriteRevision
        if let state = current.withLock({ $0 }), state.revision >= needed {
            servedReads.add(1, ordering: .relaxed)
            return state
        }
        // Our own write has not come back through the watch yet: that takes about a millisecond.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(maxWait * 1e9)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            guard let state = current.withLock({ $0 }) else { return nil }
            if state.revision >= needed {
                servedReads.add(1, ordering: .relaxed)
                return state
            }
            usleep(100)
        }
        return nil
    }

    /// Ends the mirror's thread (the store is gone): reads get `nil` from then on.
    func stop() {
        stopped.store(true, ordering: .releasing)
        watch.withLock { $0?.cancel() }
        current.withLock { $0 = nil }
    }

    private var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Loads, follows, and on any failure starts over (reads go to etcd meanwhile), until stopped.
    private func run() {
        while !isStopped {
            do {
                let loaded = try load()
                if isStopped { break }
                current.withLock { $0 = loaded }
                try follow(from: loaded)
            } catch {
                current.withLock { $0 = nil }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        current.withLock { $0 = nil }
    }

    /// Every mirrored keyspace of the live generation at one revision: the pointer key is read first, and its
    /// answer fixes both the revision and the generation.
    private func load() throws(StorageError) -> State {
        let pointer = try client.post(
            "v3/kv/range", RangeRequest(key: EtcdBytes(layout.pointerKey)), as: RangeResponse.self, operation: "range")
        var revision = pointer.header?.revision?.value
        let layout = self.layout.inGeneration(EtcdGenerationPin(pointer: pointer).id)
        var keyspaces = [[Entry]?](repeating: nil, count: keyspaceCount)
        for keyspace in mirrored {
            let (start, end) = layout.bounds(of: keyspace)
            let prefixLength = layout.keyspacePrefix(keyspace).count
            var entries: [Entry] = []
            var next = start
            while true {
                var request = RangeRequest(
                    key: EtcdBytes(next), range_end: EtcdBytes(end), limit: EtcdInt(Int64(pageSize)))
                if let revision { request.revision = EtcdInt(revision) }
                let page = try client.post("v3/kv/range", request, as: RangeResponse.self, operation: "range")
                if revision == nil { revision = page.header?.revision?.value }
                let kvs = page.kvs ?? []
                for kv in kvs {
                    entries.append(
                        Entry(
                            key: Array(kv.key.bytes.dropFirst(prefixLength)), value: kv.value?.bytes ?? [],
                            modRevision: kv.mod_revision?.value ?? 0))
                }
                guard page.more == true, let last = kvs.last else { break }
                next = last.key.bytes + [0]
            }
            keyspaces[Int(keyspace.handle)] = entries
        }
        guard let revision else {
            throw StorageError(
                code: .backendFailure, operation: "range", message: "etcd answered a range without a revision")
        }
        return State(revision: revision, keyspaces: keyspaces, layout: layout)
    }

    /// Applies every commit after `state` until the watch fails or was compacted away, or the pointer key moves
    /// to another generation (an import or restore switched it): then the caller loads again.
    private func follow(from state: State) throws(StorageError) {
        let watch = EtcdWatch(
            client: client, range: (layout.catalogPrefix, EtcdKeyLayout.successor(ofPrefix: layout.catalogPrefix)),
            giveUpAfter: giveUpAfter, connectTimeout: connectTimeout)
        self.watch.withLock { $0 = watch }
        if isStopped { return }
        var latest = state
        let prefixes = mirrored.map { ($0, state.layout.keyspacePrefix($0)) }
        let pointerKey = layout.pointerKey
        try watch.follow(after: state.revision) { delivery in
            switch delivery {
            case .compacted:
                watch.cancel()
            case .commit(let revision, let events):
                if events.contains(where: { $0.key == pointerKey }) {
                    // Another generation is live from this revision on: the copy is out of date as a whole.
                    current.withLock { $0 = nil }
                    watch.cancel()
                    return
                }
                // Each keyspace the commit touches is copied once (the published state keeps the old arrays).
                var working: [Int: [Entry]] = [:]
                for event in events {
                    guard let (keyspace, prefix) = prefixes.first(where: { event.key.starts(with: $0.1) }) else {
                        continue
                    }
                    let handle = Int(keyspace.handle)
                    let key = Array(event.key.dropFirst(prefix.count))
                    if working[handle] == nil { working[handle] = latest.keyspaces[handle] ?? [] }
                    let index = Self.lowerBound(of: key, in: working[handle]!)
                    let found = index < working[handle]!.count && working[handle]![index].key == key
                    if let value = event.value {
                        let entry = Entry(key: key, value: value, modRevision: revision)
                        if found { working[handle]![index] = entry } else { working[handle]!.insert(entry, at: index) }
                    } else if found {
                        working[handle]!.remove(at: index)
                    }
                }
                var keyspaces = latest.keyspaces
                for (handle, entries) in working { keyspaces[handle] = entries }
                latest = State(revision: revision, keyspaces: keyspaces, layout: latest.layout)
                current.withLock { $0 = latest }
            }
        }
    }

    /// The index of the first entry whose key is not before `key`.
    static func lowerBound(of key: [UInt8], in entries: [Entry]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
