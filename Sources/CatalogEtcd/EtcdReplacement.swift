public import CatalogStorage
internal import Foundation

extension EtcdStore: ReplaceableStore {
    /// Starts writing a new generation of the catalog beside the live one (`EtcdReplacement`).
    public func beginReplacement() throws -> any StoreReplacement { try EtcdReplacement(store: self) }
}

/// A new generation of a catalog on etcd, written in bounded `Txn`s under `/<prefix>/_gen/<id>/` and switched
/// in by one `Txn` that puts the pointer key `/<prefix>/_generation`.
///
/// - **Begin** (one `Txn`, compared on the pointer): removes every generation but the live one (what killed
///   imports and restores left) and puts the new generation's marker `<root>_building`; its revision is the
///   base, the moment the live generation is read at.
/// - **Put**: batches of at most `maxTxnOperations - 1` puts (and within `maxRequestBytes`), each compared on the
///   marker, so a replacement that a later one removed stops at its next batch.
/// - **Publish** (one `Txn`): compares the pointer (nobody switched meanwhile), the marker, and, for an import,
///   that no key of the live generation was modified and no commit token created since the base; then puts the
///   pointer, deletes the marker and deletes the old generation's data, and puts (or deletes) what a catch-up
///   carries, when it fits. **Advance base** (one read-only `Txn`) tells what was committed since the base. Snapshots already reading the old
///   generation keep reading it at their revision (etcd keeps it until compaction); every commit planned
///   against it conflicts on the pointer and runs again against the new one.
final class EtcdReplacement: StoreReplacement {
    private let store: EtcdStore
    private let base: EtcdGenerationPin
    /// The revision the live generation is read at; `advanceBase` moves it forward.
    private var baseRevision: Int64
    private let live: EtcdKeyLayout
    private let target: EtcdKeyLayout
    private let markerRevision: Int64

    init(store: EtcdStore) throws(StorageError) {
        self.store = store
        let pointerKey = store.layout.pointerKey
        let pointer = try store.client.post(
            "v3/kv/range", RangeRequest(key: EtcdBytes(pointerKey)), as: RangeResponse.self, operation: "replace")
        base = EtcdGenerationPin(pointer: pointer)
        live = store.generations.adopt(base)
        target = live.inGeneration(Self.newGenerationID())

        var begin = TxnRequest()
        begin.compare = [
            Compare(result: .equal, target: .mod, key: EtcdBytes(pointerKey), mod_revision: EtcdInt(base.revision))
        ]
        let generations = live.generationsPrefix
        let generationsEnd = EtcdKeyLayout.successor(ofPrefix: generations)
        // Everything under `_gen/` but the live generation and the new one (etcd refuses a Txn whose delete
        // range holds a key it also puts), and the first generation's keys once it is no longer live.
        var leftovers: [(start: [UInt8], end: [UInt8])] = []
        var start = generations
        for kept in ([live.generation, target.generation].compactMap { $0 }.sorted()) {
            let root = live.inGeneration(kept).root
            if start.lexicographicallyPrecedes(root) { leftovers.append((start, root)) }
            start = EtcdKeyLayout.successor(ofPrefix: root)
        }
        leftovers.append((start, generationsEnd))
        if base.id != nil { leftovers += live.dataRanges(ofGeneration: nil) }
        begin.success = leftovers.map { range in
            RequestOp(
                request_delete_range: DeleteRangeRequest(key: EtcdBytes(range.start), range_end: EtcdBytes(range.end)))
        }
        begin.success.append(
            RequestOp(request_put: PutRequest(key: EtcdBytes(target.buildingMarker), value: EtcdBytes([]))))
        begin.success.append(RequestOp(request_range: RangeRequest(key: EtcdBytes(target.buildingMarker))))
        let answer = try store.client.post("v3/kv/txn", begin, as: TxnResponse.self, operation: "replace")
        guard answer.succeeded == true, let revision = answer.header?.revision?.value,
            let marker = answer.responses?.last?.response_range?.kvs?.first?.create_revision?.value
        else {
            throw StorageError(
                code: .conflict, operation: "replace",
                message:
                    "another import or restore switched the catalog while this one began; nothing was written, run it again"
            )
        }
        baseRevision = revision
        markerRevision = marker
    }

    var entriesPerCommit: Int { max(1, store.options.maxTxnOperations - 1) }

    func readBase(_ body: (AnyStorageReading) throws -> Void) throws {
        try body(
            AnyStorageReading(
                EtcdSnapshot(
                    client: store.client, layout: live, revision: baseRevision, pageSize: store.options.scanPageSize)))
    }

    func put(_ entries: [ReplacementEntry]) throws {
        try write(entries.map { ($0.keyspace, $0.key, $0.value) })
    }

    func delete(_ keys: [(keyspace: Keyspace, key: [UInt8])]) throws {
        try write(keys.map { ($0.keyspace, $0.key, nil) })
    }

    /// Puts (value set) and deletes (value nil) into the new generation, in bounded `Txn`s compared on the marker.
    private func write(_ entries: [(keyspace: Keyspace, key: [UInt8], value: [UInt8]?)]) throws(StorageError) {
        var batch = TxnRequest()
        var bytes = 0
        func send() throws(StorageError) {
            guard !batch.success.isEmpty else { return }
            batch.compare = [markerHolds]
            let answer = try store.client.post("v3/kv/txn", batch, as: TxnResponse.self, operation: "replace")
            guard answer.succeeded == true else { throw Self.removed() }
            batch = TxnRequest()
            bytes = 0
        }
        // Half the request limit: the gateway's JSON and base64 make a request larger than its bytes.
        let byteBudget = store.options.maxRequestBytes / 2
        for entry in entries {
            let key = target.key(entry.key, in: entry.keyspace)
            let size = key.count + (entry.value?.count ?? 0) + 32
            if batch.success.count >= entriesPerCommit || (bytes + size > byteBudget && !batch.success.isEmpty) {
                try send()
            }
            if let value = entry.value {
                batch.success.append(RequestOp(request_put: PutRequest(key: EtcdBytes(key), value: EtcdBytes(value))))
            } else {
                batch.success.append(RequestOp(request_delete_range: DeleteRangeRequest(key: EtcdBytes(key))))
            }
            bytes += size
        }
        try send()
    }

    func publish(requireUnchangedBase: Bool, carrying changes: [ReplacementChange]) throws -> Bool {
        let pointerKey = live.pointerKey
        var carried: [RequestOp] = []
        var carriedBytes = 0
        for change in changes {
            let key = target.key(change.key, in: change.keyspace)
            carriedBytes += key.count + (change.value?.count ?? 0) + 32
            carried.append(
                change.value.map { RequestOp(request_put: PutRequest(key: EtcdBytes(key), value: EtcdBytes($0))) }
                    ?? RequestOp(request_delete_range: DeleteRangeRequest(key: EtcdBytes(key))))
        }
        // The switch holds at most six operations of its own; what does not fit beside them goes first.
        if carried.count + 6 > store.options.maxTxnOperations || carriedBytes > store.options.maxRequestBytes / 2 {
            try write(changes.map { ($0.keyspace, $0.key, $0.value) })
            carried = []
        }
        var txn = TxnRequest()
        txn.compare = [
            Compare(result: .equal, target: .mod, key: EtcdBytes(pointerKey), mod_revision: EtcdInt(base.revision)),
            markerHolds,
        ]
        if requireUnchangedBase {
            for range in live.dataRanges(ofGeneration: base.id) {
                txn.compare.append(
                    Compare(
                        result: .less, target: .mod, key: EtcdBytes(range.start), range_end: EtcdBytes(range.end),
                        mod_revision: EtcdInt(baseRevision + 1)))
            }
            // A commit that only deleted leaves no key to compare; its token (kept for minutes) shows it.
            let tokens = live.tokenPrefix
            txn.compare.append(
                Compare(
                    result: .less, target: .create, key: EtcdBytes(tokens),
                    range_end: EtcdBytes(EtcdKeyLayout.successor(ofPrefix: tokens)),
                    create_revision: EtcdInt(baseRevision + 1)))
        }
        txn.success = [
            RequestOp(
                request_put: PutRequest(
                    key: EtcdBytes(pointerKey), value: EtcdBytes(Array((target.generation ?? "").utf8)))),
            RequestOp(request_delete_range: DeleteRangeRequest(key: EtcdBytes(target.buildingMarker))),
        ]
        txn.success += live.dataRanges(ofGeneration: base.id).map { range in
            RequestOp(
                request_delete_range: DeleteRangeRequest(key: EtcdBytes(range.start), range_end: EtcdBytes(range.end)))
        }
        txn.success += carried
        txn.failure = [
            RequestOp(request_range: RangeRequest(key: EtcdBytes(pointerKey))),
            RequestOp(request_range: RangeRequest(key: EtcdBytes(target.buildingMarker), keys_only: true)),
        ]
        let answer = try store.client.post("v3/kv/txn", txn, as: TxnResponse.self, operation: "replace")
        let revision = answer.header?.revision?.value ?? 0
        if answer.succeeded == true {
            store.generations.adopt(EtcdGenerationPin(id: target.generation, revision: revision))
            return true
        }
        let pointer = EtcdGenerationPin(pointer: answer.responses?.first?.response_range)
        store.generations.adopt(pointer)
        // An earlier send of this same Txn switched, and its answer was lost.
        if pointer.id == target.generation { return true }
        let markerGone = (answer.responses?.last?.response_range?.kvs ?? []).isEmpty
        if markerGone { throw Self.removed() }
        if pointer.revision != base.revision {
            throw StorageError(
                code: .conflict, operation: "replace",
                message: "another import or restore switched the catalog first; nothing was switched, run it again")
        }
        // Only the live generation moved since the base.
        return false
    }

    func advanceBase(keyspaces: [Keyspace], baseKeys: (Keyspace) -> Set<[UInt8]>) throws -> [ReplacementChange] {
        // One read-only Txn, so everything comes from one revision in one round trip: the pointer, then per
        // keyspace the entries modified since the base (etcd filters by revision before any limit, so one range
        // holds them all) and the count.
        var reads = TxnRequest()
        reads.success = [RequestOp(request_range: RangeRequest(key: EtcdBytes(live.pointerKey)))]
        for keyspace in keyspaces {
            let (start, end) = live.bounds(of: keyspace)
            reads.success.append(
                RequestOp(
                    request_range: RangeRequest(
                        key: EtcdBytes(start), range_end: EtcdBytes(end), min_mod_revision: EtcdInt(baseRevision + 1))))
            reads.success.append(
                RequestOp(
                    request_range: RangeRequest(key: EtcdBytes(start), range_end: EtcdBytes(end), count_only: true)))
        }
        let answer = try store.client.post("v3/kv/txn", reads, as: TxnResponse.self, operation: "replace")
        let responses = answer.responses ?? []
        guard responses.count == 1 + 2 * keyspaces.count, let now = answer.header?.revision?.value,
            EtcdGenerationPin(pointer: responses[0].response_range).revision == base.revision
        else {
            throw StorageError(
                code: .conflict, operation: "replace",
                message: "another import or restore switched the catalog first; nothing was switched, run it again")
        }
        var changes: [ReplacementChange] = []
        for (index, keyspace) in keyspaces.enumerated() {
            let known = baseKeys(keyspace)
            var created = 0
            for entry in responses[1 + 2 * index].response_range?.kvs ?? [] {
                let key = Array(live.rawKey(entry.key.bytes, in: keyspace))
                if !known.contains(key) { created += 1 }
                changes.append(ReplacementChange(keyspace: keyspace, key: key, value: entry.value?.bytes ?? []))
            }
            let count = Int(responses[2 + 2 * index].response_range?.count?.value ?? 0)
            guard known.count + created != count else { continue }
            // Some keys of the base are gone: list the keys there now, at the same revision, to tell which.
            let (start, end) = live.bounds(of: keyspace)
            var present = Set<[UInt8]>()
            var from = start
            while true {
                let page = try store.client.post(
                    "v3/kv/range",
                    RangeRequest(
                        key: EtcdBytes(from), range_end: EtcdBytes(end), limit: EtcdInt(5000), revision: EtcdInt(now),
                        keys_only: true),
                    as: RangeResponse.self, operation: "replace")
                for entry in page.kvs ?? [] { present.insert(Array(live.rawKey(entry.key.bytes, in: keyspace))) }
                guard page.more == true, let last = page.kvs?.last else { break }
                from = last.key.bytes + [0]
            }
            for key in known where !present.contains(key) {
                changes.append(ReplacementChange(keyspace: keyspace, key: key, value: nil))
            }
        }
        baseRevision = now
        return changes
    }

    func abandon() {
        var txn = TxnRequest()
        txn.compare = [markerHolds]
        txn.success = [
            RequestOp(
                request_delete_range: DeleteRangeRequest(
                    key: EtcdBytes(target.root), range_end: EtcdBytes(EtcdKeyLayout.successor(ofPrefix: target.root))))
        ]
        _ = try? store.client.post("v3/kv/txn", txn, as: TxnResponse.self, operation: "replace")
    }

    /// The marker still has the create revision this replacement gave it.
    private var markerHolds: Compare {
        Compare(
            result: .equal, target: .create, key: EtcdBytes(target.buildingMarker),
            create_revision: EtcdInt(markerRevision))
    }

    private static func removed() -> StorageError {
        StorageError(
            code: .conflict, operation: "replace",
            message: "another import or restore began after this one and removed what it had written; nothing was "
                + "switched, run it again")
    }

    /// 16 lower-case hex digits, random: generations are told apart by id, never ordered.
    private static func newGenerationID() -> String {
        (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

extension EtcdStore {
    /// The live generation's id as this store last saw it; `nil` for the first generation.
    package var liveGeneration: String? { generations.current.pin.id }

    /// The ids of every generation stored under `/<prefix>/_gen/`: the live one, and any that an unfinished
    /// import or restore left (the next one removes them). For tests and diagnostics.
    package func storedGenerations() throws(StorageError) -> Set<String> {
        let prefix = layout.generationsPrefix
        let answer = try client.post(
            "v3/kv/range",
            RangeRequest(
                key: EtcdBytes(prefix), range_end: EtcdBytes(EtcdKeyLayout.successor(ofPrefix: prefix)), keys_only: true
            ),
            as: RangeResponse.self, operation: "range")
        var ids = Set<String>()
        for entry in answer.kvs ?? [] {
            let rest = entry.key.bytes.dropFirst(prefix.count)
            ids.insert(String(decoding: rest.prefix { $0 != UInt8(ascii: "/") }, as: UTF8.self))
        }
        return ids
    }
}
