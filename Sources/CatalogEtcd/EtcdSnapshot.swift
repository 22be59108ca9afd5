public import CatalogStorage

/// One consistent state of an etcd-backed store: every read is made at one revision of the cluster.
///
/// The first request learns the revision from etcd's answer (the newest, read linearizably); every later
/// request passes it, so writes committed meanwhile, through any member, stay invisible. Each read is one
/// HTTP call that blocks the calling thread. A snapshot whose revision etcd has compacted away fails with
/// `.backendFailure` (the store never compacts; an operator's compaction can).
///
/// The first request also reads the generation pointer (one read-only `Txn`, so both come from the same
/// revision): the snapshot then reads the generation that was live at its revision, even when an import or a
/// restore switched generations since the store last looked.
///
/// A snapshot that stages a write may read *serializably* (`EtcdStore.write`): the member answers from its own
/// state without asking the leader, which costs etcd far less; the commit's compares catch anything stale.
/// `prefetch(_:)` reads several keys in one request; later reads of them are answered from what it fetched.
///
/// Lent by `EtcdStore.read(_:)`; not `Sendable`.
public final class EtcdSnapshot: StorageReading {
    let client: EtcdClient
    /// The layout of the generation this snapshot reads (set from the pointer by the first answer).
    private(set) var layout: EtcdKeyLayout
    let pageSize: Int
    /// The revision every read is made at, once the first answer told it.
    private(set) var revision: Int64?
    /// Told of the pointer the first answer showed; `nil` for a snapshot pinned to a revision and generation.
    private let generations: EtcdGenerationState?
    /// Whether reads may be served by the member alone (a write's staging snapshot), not confirmed by the leader.
    let serializable: Bool
    /// The member a serializable snapshot reads from: the one that answered its first read (whose state has
    /// its revision), first tried at the member the store chose, so that staging reads spread over the cluster.
    private var member: Int?
    /// Where a serializable snapshot's first read goes, grouped with other snapshots' (`EtcdReadGroups`).
    private let readGroups: EtcdReadGroups?
    /// What `prefetch(_:)` fetched, by etcd key: the entry, or `nil` for a key that was absent.
    private var prefetched: [[UInt8]: KeyValue?] = [:]

    init(
        client: EtcdClient, layout: EtcdKeyLayout, generations: EtcdGenerationState?, pageSize: Int,
        serializable: Bool = false, member: Int? = nil, readGroups: EtcdReadGroups? = nil
    ) {
        self.client = client
        self.layout = layout
        self.generations = generations
        self.pageSize = pageSize
        self.serializable = serializable
        self.member = serializable ? member : nil
        self.readGroups = serializable ? readGroups : nil
    }

    /// A snapshot at `revision` of the generation `layout` names (a replacement's base).
    init(client: EtcdClient, layout: EtcdKeyLayout, revision: Int64, pageSize: Int) {
        self.client = client
        self.layout = layout
        self.generations = nil
        self.revision = revision
        self.pageSize = pageSize
        self.serializable = false
        self.readGroups = nil
    }

    public func withValue<R>(
        forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        guard let entry = try entry(key, in: keyspace) else { return try body(nil) }
        // The gateway leaves out an empty value.
        return try (entry.value?.bytes ?? []).withUnsafeBytes { try body($0) }
    }

    /// The value with its mod revision, which the commit compares (absent: revision 0).
    public func versionedValue(forKeyBytes key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws -> VersionedValue
    {
        guard let entry = try entry(key, in: keyspace) else { return VersionedValue(value: nil, version: .absent) }
        return VersionedValue(value: entry.value?.bytes ?? [], version: .revision(entry.mod_revision?.value ?? 0))
    }

    public func scan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try visit(keyspace, range) { key, value, _ in try body(key, value) }
    }

    /// Scans like `scan(_:in:_:)`; the version is this snapshot's revision with the mod revision of every entry
    /// visited, which the commit turns into per-key compares and one compare over the range.
    public func versionedScan(
        _ keyspace: Keyspace, in range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws -> KeyVersion {
        var seen: [KeyVersion.KeyRevision] = []
        try visit(keyspace, range) { key, value, modRevision in
            seen.append(KeyVersion.KeyRevision(key: Array(key), modRevision: modRevision))
            return try body(key, value)
        }
        return KeyVersion(.revisions(snapshot: try knownRevision(of: keyspace), seen: seen))
    }

    /// Reads every key of `keys` not fetched yet in one read-only `Txn` at this snapshot's revision.
    public func prefetch(_ keys: [StorageKey]) throws(StorageError) {
        let wanted = keys.map { layout.key($0.key.bytes, in: $0.keyspace) }.filter { prefetched[$0] == nil }
        guard !wanted.isEmpty else { return }
        let before = layout
        let answers = try ranges(wanted.map { RangeRequest(key: EtcdBytes($0)) })
        // The first answer may have moved the snapshot to another generation: ask for those keys as they come.
        guard before.generation == layout.generation else { return }
        for (key, answer) in zip(wanted, answers) { prefetched[key] = .some(answer.kvs?.first) }
    }

    public func count(of keyspace: Keyspace) throws(StorageError) -> Int {
        let (start, end) = layout.bounds(of: keyspace)
        let answer = try range(RangeRequest(key: EtcdBytes(start), range_end: EtcdBytes(end), count_only: true))
        return Int(answer.count?.value ?? 0)
    }

    // MARK: Requests at this snapshot's revision

    /// The entry under `key`, or `nil`.
    private func entry(_ key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws(StorageError) -> KeyValue? {
        let checked = try RecordKey(Array(key))
        let etcdKey = layout.key(checked.bytes, in: keyspace)
        if let fetched = prefetched[etcdKey] { return fetched }
        return try range(RangeRequest(key: EtcdBytes(etcdKey))).kvs?.first
    }

    /// Visits `range` page by page (`pageSize` entries a request), all pages at this snapshot's revision.
    private func visit(
        _ keyspace: Keyspace, _ range: KeyRange,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ modRevision: Int64) throws -> Bool
    ) throws {
        guard var bounds = layout.bounds(of: range, in: keyspace) else { return }
        var start = bounds.start
        while true {
            let before = layout
            let page = try self.range(
                RangeRequest(key: EtcdBytes(start), range_end: EtcdBytes(bounds.end), limit: EtcdInt(Int64(pageSize))))
            // The first answer may have moved the snapshot to the generation live at its revision.
            if before.generation != layout.generation { bounds.end = before.translated(bounds.end, to: layout) }
            let entries = page.kvs ?? []
            for entry in entries {
                let key = layout.rawKey(entry.key.bytes, in: keyspace)
                let value = entry.value?.bytes ?? []
                let goOn = try key.withUnsafeBytes { k in
                    try value.withUnsafeBytes { v in try body(k, v, entry.mod_revision?.value ?? 0) }
                }
                if !goOn { return }
            }
            guard page.more == true, let last = entries.last else { return }
            start = last.key.bytes + [0]
        }
    }

    /// This snapshot's revision, asking etcd for it if no read has yet.
    private func knownRevision(of keyspace: Keyspace) throws(StorageError) -> Int64 {
        if let revision { return revision }
        _ = try count(of: keyspace)
        guard let revision else {
            throw StorageError(
                code: .backendFailure, operation: "range", message: "etcd answered a range without a revision")
        }
        return revision
    }

    /// One range request at this snapshot's revision (learning it, and the live generation, from the first
    /// answer).
    private func range(_ request: RangeRequest) throws(StorageError) -> RangeResponse {
        guard revision != nil else { return try ranges([request])[0] }
        var request = request
        request.revision = EtcdInt(revision!)
        request.serializable = serializable ? true : nil
        do {
            return try post("v3/kv/range", request, as: RangeResponse.self)
        } catch  where request.serializable == true && error.isFutureRevision {
            // A member behind this revision (the client moved on to it): let it catch up first.
            request.serializable = nil
            return try post("v3/kv/range", request, as: RangeResponse.self)
        }
    }

    /// The answers to `requests`, in one read-only `Txn` at this snapshot's revision. The first request of a
    /// snapshot also reads the generation pointer, learning the revision and the live generation; if that
    /// generation is not the one the store last saw, the requests are asked again in it, at the same revision.
    private func ranges(_ requests: [RangeRequest]) throws(StorageError) -> [RangeResponse] {
        let learning = revision == nil
        var ops = requests.map { request in
            var request = request
            request.revision = revision.map(EtcdInt.init)
            return request
        }
        if learning { ops.insert(RangeRequest(key: EtcdBytes(layout.pointerKey)), at: 0) }
        var answers = try rangeTxn(ops)
        guard learning else { return answers }
        guard let learned = revision else {
            throw StorageError(
                code: .backendFailure, operation: "range", message: "etcd answered a range without a revision")
        }
        let pin = EtcdGenerationPin(pointer: answers.removeFirst())
        let live = generations?.adopt(pin) ?? layout.inGeneration(pin.id)
        guard live.generation != layout.generation else { return answers }
        // The store's idea of the live generation was stale: ask again in the right one, at the same revision.
        let stale = layout
        layout = live
        return try rangeTxn(
            requests.map { request in
                var request = request
                request.key = EtcdBytes(stale.translated(request.key.bytes, to: live))
                if let end = request.range_end { request.range_end = EtcdBytes(stale.translated(end.bytes, to: live)) }
                request.revision = EtcdInt(learned)
                return request
            })
    }

    /// Sends `requests` as one read-only `Txn` (serializable when this snapshot is), setting the revision from
    /// the answer if none was known; one answer per request, in order.
    private func rangeTxn(_ requests: [RangeRequest]) throws(StorageError) -> [RangeResponse] {
        if revision == nil, let readGroups {
            let answer = try readGroups.read(requests)
            revision = answer.revision
            member = answer.member
            return answer.responses
        }
        var serializable = serializable
        while true {
            var txn = TxnRequest()
            txn.success = requests.map { request in
                var request = request
                request.serializable = serializable ? true : nil
                return RequestOp(request_range: request)
            }
            let answer: TxnResponse
            do {
                answer = try post("v3/kv/txn", txn, as: TxnResponse.self)
            } catch  where serializable && error.isFutureRevision {
                serializable = false
                continue
            }
            guard let learned = answer.header?.revision?.value, let responses = answer.responses,
                responses.count == requests.count
            else {
                throw StorageError(
                    code: .backendFailure, operation: "range", message: "etcd answered a range without a revision")
            }
            if revision == nil { revision = learned }
            return responses.map { $0.response_range ?? RangeResponse() }
        }
    }
}

extension EtcdSnapshot {
    /// Posts a read to this snapshot's member (a serializable one) or the client's preferred one.
    fileprivate func post<Request: Encodable, Response: Decodable>(
        _ path: String, _ request: Request, as type: Response.Type
    ) throws(StorageError) -> Response {
        guard serializable else { return try client.post(path, request, as: type, operation: "range") }
        let answer = try client.post(path, request, as: type, operation: "range", at: member)
        member = answer.member
        return answer.response
    }
}

extension StorageError {
    /// etcd refused a read at a revision the member has not applied yet.
    var isFutureRevision: Bool { code == .backendFailure && message.contains("future revision") }
}

@available(*, unavailable)
extension EtcdSnapshot: Sendable {}
