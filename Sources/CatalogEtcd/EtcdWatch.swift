public import CatalogStorage
internal import Foundation
internal import Synchronization

/// A watch of one keyspace through etcd's `/v3/watch`, kept going across members: what the change feed of a
/// catalog on etcd follows (`KeyspaceWatching`).
///
/// One thread of its own reads the stream (`HTTPStream`) and yields each commit's puts, grouped by revision, in
/// revision order. When the member's stream ends (it died, lost its leader, or closed it), the next member is
/// asked to watch from the revision after the last one yielded, so nothing is lost or told twice; after a full
/// round it backs off (20 ms doubling to 500 ms) and goes round again until `giveUpAfter` passes with no member
/// answering, then the stream fails with `.unavailable`. A start revision etcd compacted away yields
/// `.compacted` and the watch starts again at the oldest revision etcd keeps. etcd does not split one
/// revision's events between answers (no `fragment` is asked for), so a commit is never half told.
final class EtcdWatch: Sendable {
    /// One put (`value` set) or delete of a watched commit, with its whole etcd key.
    struct Event: Sendable {
        var key: [UInt8]
        var value: [UInt8]?
    }

    /// What `follow` hands on: one commit's events in key order, or word that revisions were compacted away.
    enum Delivery: Sendable {
        case commit(revision: Int64, [Event])
        case compacted(revision: Int64)
    }

    private let client: EtcdClient
    private let range: (start: [UInt8], end: [UInt8])
    private let giveUpAfter: Double
    private let connectTimeout: Double
    /// The stream in use, replaced at each reconnection, cut by `cancel`.
    private let stream = Mutex<HTTPStream?>(nil)
    private let cancelled = Atomic<Bool>(false)

    /// A watch of the etcd keys in [start, end).
    init(client: EtcdClient, range: (start: [UInt8], end: [UInt8]), giveUpAfter: Double, connectTimeout: Double) {
        self.client = client
        self.range = range
        self.giveUpAfter = giveUpAfter
        self.connectTimeout = connectTimeout
    }

    /// Starts a watch of the puts into `keyspace` after `revision` on a thread of its own; ending the stream's
    /// iteration stops it.
    ///
    /// The watch covers the whole catalog prefix, so that it sees the generation pointer move (an import or a
    /// restore switched the catalog to a new generation, `EtcdReplacement`): that commit is told as
    /// `.compacted(revision:)` (what changed cannot be told entry by entry; a follower drops its cache) and the
    /// watch goes on in the new generation's keyspace. The switching commit's own entries are copies, not news.
    static func puts(
        into keyspace: Keyspace, of layout: EtcdKeyLayout, client: EtcdClient, after revision: Int64,
        giveUpAfter: Double,
        connectTimeout: Double
    ) -> AsyncThrowingStream<WatchedCommit, any Error> {
        let watch = EtcdWatch(
            client: client, range: (layout.catalogPrefix, EtcdKeyLayout.successor(ofPrefix: layout.catalogPrefix)),
            giveUpAfter: giveUpAfter, connectTimeout: connectTimeout)
        let (commits, continuation) = AsyncThrowingStream.makeStream(of: WatchedCommit.self)
        continuation.onTermination = { _ in watch.cancel() }
        let thread = Thread {
            do {
                // The generation live at the start revision (the newest one if that revision is compacted away).
                var live = layout.inGeneration(try EtcdWatch.generation(of: layout, at: revision, client: client).id)
                try watch.follow(after: revision) { delivery in
                    switch delivery {
                    case .compacted(let revision): continuation.yield(.compacted(revision: revision))
                    case .commit(let revision, let events):
                        if let pointer = events.last(where: { $0.key == layout.pointerKey }) {
                            live = layout.inGeneration(pointer.value.map { String(decoding: $0, as: UTF8.self) })
                            continuation.yield(.compacted(revision: revision))
                            return
                        }
                        let prefix = live.keyspacePrefix(keyspace)
                        let entries = events.compactMap { event in
                            event.key.starts(with: prefix)
                                ? event.value.map {
                                    WatchedEntry(key: Array(event.key.dropFirst(prefix.count)), value: $0)
                                }
                                : nil
                        }
                        if !entries.isEmpty { continuation.yield(.entries(revision: revision, entries)) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "EtcdWatch"
        thread.start()
        return commits
    }

    /// The generation pin at `revision` (0: now); the newest one when etcd compacted that revision away.
    static func generation(
        of layout: EtcdKeyLayout, at revision: Int64, client: EtcdClient
    ) throws(StorageError)
        -> EtcdGenerationPin
    {
        func pointer(at revision: Int64?) throws(StorageError) -> EtcdGenerationPin {
            var request = RangeRequest(key: EtcdBytes(layout.pointerKey))
            if let revision, revision > 0 { request.revision = EtcdInt(revision) }
            return EtcdGenerationPin(
                pointer: try client.post("v3/kv/range", request, as: RangeResponse.self, operation: "range"))
        }
        do {
            return try pointer(at: revision)
        } catch {
            return try pointer(at: nil)
        }
    }

    /// Stops the watch from any thread: `follow` returns.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        stream.withLock { $0?.cancel() }
    }

    private var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Watches from `revision + 1`, member after member, handing each commit to `yield` on the calling thread,
    /// until cancelled or no member answers for `giveUpAfter`. Blocks the calling thread.
    func follow(after revision: Int64, _ yield: (Delivery) -> Void) throws(StorageError) {
        var next = revision + 1
        var lastAnswer = DispatchTime.now()
        var backOff = 0.02
        var failures: [String] = []
        var first = client.preferredIndex
        while !isCancelled {
            for step in 0..<client.endpoints.count {
                if isCancelled { return }
                let endpoint = client.endpoints[(first + step) % client.endpoints.count]
                let connection = HTTPStream()
                stream.withLock { $0 = connection }
                if isCancelled { return }
                var heard = false
                var restart = false
                let request = WatchRequest(
                    create_request: .init(
                        key: EtcdBytes(range.start), range_end: EtcdBytes(range.end), start_revision: EtcdInt(next)))
                let body = (try? JSONEncoder().encode(request)).map(Array.init) ?? []
                let ending = connection.run(
                    host: endpoint.host ?? "127.0.0.1", port: endpoint.port ?? 2379, path: "v3/watch", body: body,
                    connectTimeout: connectTimeout
                ) { line in
                    guard let decoded = try? JSONDecoder().decode(WatchLine.self, from: Data(line)) else {
                        return false
                    }
                    guard let answer = decoded.result else { return false }
                    heard = true
                    if answer.canceled == true {
                        if let compacted = answer.compact_revision?.value, compacted > 0 {
                            // The revisions before `compacted` are gone: say so, and go on from the oldest kept.
                            yield(.compacted(revision: compacted - 1))
                            next = compacted
                            restart = true
                        }
                        return false
                    }
                    for (revision, events) in self.commits(in: answer.events ?? []) where revision >= next {
                        yield(.commit(revision: revision, events))
                        next = revision + 1
                    }
                    return true
                }
                if isCancelled { return }
                if heard {
                    lastAnswer = DispatchTime.now()
                    backOff = 0.02
                    first = (first + step) % client.endpoints.count
                }
                if restart { break }
                switch ending {
                case .stopped: failures.append("\(endpoint.absoluteString): the watch was refused or unreadable")
                case .refused(let status, let answer):
                    failures.append(
                        "\(endpoint.absoluteString): HTTP \(status) \(String(decoding: answer.prefix(200), as: UTF8.self))"
                    )
                case .broken(let reason): failures.append("\(endpoint.absoluteString): \(reason)")
                }
                if heard { break }
            }
            let silent = Double(DispatchTime.now().uptimeNanoseconds - lastAnswer.uptimeNanoseconds) / 1e9
            if silent >= giveUpAfter {
                throw StorageError(
                    code: .unavailable, operation: "watch",
                    message: "no etcd member kept a watch for \(Int(giveUpAfter)) s (tried "
                        + client.endpoints.map(\.absoluteString).joined(separator: ", ") + "); last: "
                        + (failures.last ?? "none") + "; check that a majority of the cluster is up")
            }
            Thread.sleep(forTimeInterval: backOff)
            backOff = min(backOff * 2, 0.5)
        }
    }

    /// `events` grouped by revision, in revision order, each commit's events in key order.
    private func commits(in events: [WatchEvent]) -> [(Int64, [Event])] {
        var commits: [(Int64, [Event])] = []
        for event in events {
            guard let kv = event.kv, let revision = kv.mod_revision?.value else { continue }
            let entry = Event(key: kv.key.bytes, value: event.type == "DELETE" ? nil : kv.value?.bytes ?? [])
            if let last = commits.last, last.0 == revision {
                commits[commits.count - 1].1.append(entry)
            } else {
                commits.append((revision, [entry]))
            }
        }
        return commits.map { ($0.0, $0.1.sorted { $0.key.lexicographicallyPrecedes($1.key) }) }
    }
}

extension EtcdStore: KeyspaceWatching {
    /// The cluster's newest revision, read linearizably.
    public func newestRevision() throws(StorageError) -> Int64 {
        let request = RangeRequest(
            key: EtcdBytes(layout.catalogPrefix),
            range_end: EtcdBytes(EtcdKeyLayout.successor(ofPrefix: layout.catalogPrefix)),
            count_only: true)
        let answer = try client.post("v3/kv/range", request, as: RangeResponse.self, operation: "range")
        guard let revision = answer.header?.revision?.value else {
            throw StorageError(
                code: .backendFailure, operation: "range", message: "etcd answered a range without a revision")
        }
        return revision
    }

    /// The entries of `keyspace` modified after `revision`, read at revision `through`, page by page.
    public func committed(
        _ keyspace: Keyspace, after revision: Int64, through: Int64
    ) throws(StorageError)
        -> [WatchedCommit]
    {
        guard through > revision else { return [] }
        // Read the generation live at `through`. If it was switched to after `revision`, what came before the
        // switch cannot be told entry by entry (its entries are copies): that is one `.compacted`, then only the
        // commits after the switch.
        let pin = try EtcdWatch.generation(of: layout, at: through, client: client)
        let layout = layout.inGeneration(pin.id)
        var commits: [WatchedCommit] = []
        var revision = revision
        if pin.revision > revision {
            commits.append(.compacted(revision: pin.revision))
            revision = pin.revision
        }
        let (start, end) = layout.bounds(of: keyspace)
        let prefixLength = layout.keyspacePrefix(keyspace).count
        var found: [(revision: Int64, entry: WatchedEntry)] = []
        var next = start
        while true {
            let page = try client.post(
                "v3/kv/range",
                RangeRequest(
                    key: EtcdBytes(next), range_end: EtcdBytes(end), limit: EtcdInt(Int64(options.scanPageSize)),
                    revision: EtcdInt(through), min_mod_revision: EtcdInt(revision + 1)),
                as: RangeResponse.self, operation: "range")
            let entries = page.kvs ?? []
            for kv in entries {
                let entry = WatchedEntry(key: Array(kv.key.bytes.dropFirst(prefixLength)), value: kv.value?.bytes ?? [])
                found.append((kv.mod_revision?.value ?? 0, entry))
            }
            guard page.more == true, let last = entries.last else { break }
            next = last.key.bytes + [0]
        }
        found.sort {
            $0.revision != $1.revision
                ? $0.revision < $1.revision : $0.entry.key.lexicographicallyPrecedes($1.entry.key)
        }
        var group: [WatchedEntry] = []
        for (index, item) in found.enumerated() {
            group.append(item.entry)
            if index == found.count - 1 || found[index + 1].revision != item.revision {
                commits.append(.entries(revision: item.revision, group))
                group = []
            }
        }
        return commits
    }

    /// Deletes, page by page, the keys of `keyspace` whose mod revision is at most `revision`, each page one
    /// `Txn` of single-key deletes without compares (a key put again meanwhile is deleted too only if it was put
    /// at or before `revision`, which it cannot have been).
    public func deleteEntries(_ keyspace: Keyspace, through revision: Int64) throws(StorageError) -> Int {
        let (start, end) = layout.bounds(of: keyspace)
        let batch = max(1, min(options.scanPageSize, options.maxTxnOperations))
        var deleted = 0
        while true {
            let page = try client.post(
                "v3/kv/range",
                RangeRequest(
                    key: EtcdBytes(start), range_end: EtcdBytes(end), limit: EtcdInt(Int64(batch)), keys_only: true,
                    max_mod_revision: EtcdInt(revision)),
                as: RangeResponse.self, operation: "trim")
            let keys = (page.kvs ?? []).map(\.key)
            if keys.isEmpty { return deleted }
            var request = TxnRequest()
            request.success = keys.map { RequestOp(request_delete_range: DeleteRangeRequest(key: $0)) }
            _ = try client.post("v3/kv/txn", request, as: TxnResponse.self, operation: "trim")
            deleted += keys.count
        }
    }

    /// Watches the puts into `keyspace` after `revision` (see `EtcdWatch`).
    public func watch(_ keyspace: Keyspace, after revision: Int64) -> AsyncThrowingStream<WatchedCommit, any Error> {
        EtcdWatch.puts(
            into: keyspace, of: layout, client: client, after: revision, giveUpAfter: options.giveUpAfter.seconds,
            connectTimeout: options.requestTimeout.seconds)
    }
}
