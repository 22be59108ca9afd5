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

    init(client: EtcdClient, layout: EtcdKeyLayout, generations: EtcdGenerationState?, pageSize: Int) {
        self.client = client
        self.layout = layout
        self.generations = generations
        self.pageSize = pageSize
    }

    /// A snapshot at `revision` of the generation `layout` names (a replacement's base).
    init(client: EtcdClient, layout: EtcdKeyLayout, revision: Int64, pageSize: Int) {
        self.client = client
        self.layout = layout
        self.generations = nil
        self.revision = revision
        self.pageSize = pageSize
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

    public func count(of keyspace: Keyspace) throws(StorageError) -> Int {
        let (start, end) = layout.bounds(of: keyspace)
        let answer = try range(RangeRequest(key: EtcdBytes(start), range_end: EtcdBytes(end), count_only: true))
        return Int(answer.count?.value ?? 0)
    }

    // MARK: Requests at this snapshot's revision

    /// The entry under `key`, or `nil`.
    private func entry(_ key: UnsafeRawBufferPointer, in keyspace: Keyspace) throws(StorageError) -> KeyValue? {
        let checked = try RecordKey(Array(key))
        return try range(RangeRequest(key: EtcdBytes(layout.key(checked.bytes, in: keyspace)))).kvs?.first
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
        var request = request
        if let revision {
            request.revision = EtcdInt(revision)
            return try client.post("v3/kv/range", request, as: RangeResponse.self, operation: "range")
        }
        // First request: the pointer and the request in one read-only Txn, both at the newest revision.
        var pair = TxnRequest()
        pair.success = [
            RequestOp(request_range: RangeRequest(key: EtcdBytes(layout.pointerKey))),
            RequestOp(request_range: request),
        ]
        let answer = try client.post("v3/kv/txn", pair, as: TxnResponse.self, operation: "range")
        guard let learned = answer.header?.revision?.value, let responses = answer.responses, responses.count == 2
        else {
            throw StorageError(
                code: .backendFailure, operation: "range", message: "etcd answered a range without a revision")
        }
        revision = learned
        let pin = EtcdGenerationPin(pointer: responses[0].response_range)
        let live = generations?.adopt(pin) ?? layout.inGeneration(pin.id)
        guard live.generation != layout.generation else { return responses[1].response_range ?? RangeResponse() }
        // The store's idea of the live generation was stale: ask again in the right one, at the same revision.
        let stale = layout
        layout = live
        request.key = EtcdBytes(stale.translated(request.key.bytes, to: live))
        if let end = request.range_end { request.range_end = EtcdBytes(stale.translated(end.bytes, to: live)) }
        request.revision = EtcdInt(learned)
        return try client.post("v3/kv/range", request, as: RangeResponse.self, operation: "range")
    }
}

@available(*, unavailable)
extension EtcdSnapshot: Sendable {}
