import CatalogStorage

/// One or more change sets as one etcd `Txn`: compares for everything they read, their puts and deletes with
/// the commit token as the success branch, and, as the failure branch, the reads that tell which compare
/// failed, whose it was, and whether the token is already there.
///
/// - Each key read: `mod_revision == r` (absent: `== 0`, which etcd compares for a missing key).
/// - Each range read: `mod_revision == r` for every entry the scan visited (a change or a delete fails it), and
///   `create_revision < snapshot + 1` over [start, end) (a key created in the range since fails it); `end` is
///   just after the last entry visited when the scan stopped early.
/// - A `Txn` with writes also compares `create_revision == 0` of its token `/<prefix>/_commits/<id>` and puts
///   the token: the same `Txn` sent twice (its answer was lost) applies at most once, and its failure branch
///   reads the token, so the second answer says whether the first one committed.
///
/// - Every change set compares the generation pointer's mod revision with the pin it was planned under (its keys
///   are those of that generation): after an import or a restore switched generations it conflicts, and its body
///   runs again against the new one. A range read at a snapshot older than the pin conflicts before anything is
///   sent (its scan saw an older generation).
///
/// Several change sets (a group commit, `EtcdCommitGroups`) share one token; they must not touch each other's
/// keys (`EtcdCommitFootprint`), so that applying them together equals applying them one after another.
struct EtcdCommitPlan {
    /// What one failure-branch read checks, to name the conflict.
    enum Check {
        case key(Keyspace, [UInt8], expected: Int64)
        case range(Keyspace, [UInt8], createdAfter: Int64)
        case pointer(expected: Int64)
    }

    /// The compares, operations and bytes of a `Txn`, to check a group against etcd's limits before building it.
    struct Cost {
        var compares = 0
        var operations = 0
        var failureReads = 0
        var bytes = 0

        static func + (lhs: Cost, rhs: Cost) -> Cost {
            Cost(
                compares: lhs.compares + rhs.compares, operations: lhs.operations + rhs.operations,
                failureReads: lhs.failureReads + rhs.failureReads, bytes: lhs.bytes + rhs.bytes)
        }

        func fits(maxOperations: Int, maxBytes: Int) -> Bool {
            max(compares, operations, failureReads) <= maxOperations && bytes <= maxBytes
        }

        /// What the token adds to a `Txn` with writes: a compare, a put and a failure read.
        static func token(_ token: [UInt8]) -> Cost {
            Cost(compares: 1, operations: 1, failureReads: 1, bytes: 3 * token.count + 48)
        }
    }

    var request = TxnRequest()
    let layout: EtcdKeyLayout
    /// One per failure op after the token's read (if any), in order.
    private(set) var checks: [Check] = []
    /// For each check, the members (indices of the change sets planned) whose reads it checks.
    private(set) var owners: [[Int]] = []
    let hasToken: Bool
    /// The whole `Txn`'s cost, the token included.
    private(set) var cost = Cost()

    /// The plan of `changes` alone, with its token put on `lease`.
    ///
    /// - Throws: `.changeSetTooLarge` if the `Txn` would exceed `maxOperations` compares or operations, or
    ///   roughly `maxBytes`; `.invalidArgument` if a version was not stamped by etcd.
    init(
        _ changes: ChangeSet, layout: EtcdKeyLayout, pin: EtcdGenerationPin, token: [UInt8], lease: Int64?,
        maxOperations: Int, maxBytes: Int
    ) throws(StorageError) {
        try self.init(
            members: [changes], layout: layout, pin: pin, token: token, lease: lease, maxOperations: maxOperations,
            maxBytes: maxBytes)
    }

    /// The plan of every change set of `members` in one `Txn` under one token: their compares (a key compared
    /// at the same revision by several members once), then their writes.
    ///
    /// - Throws: as `init(_:layout:token:lease:maxOperations:maxBytes:)`, for the whole `Txn`.
    init(
        members: [ChangeSet], layout: EtcdKeyLayout, pin: EtcdGenerationPin, token: [UInt8], lease: Int64?,
        maxOperations: Int, maxBytes: Int
    ) throws(StorageError) {
        self.layout = layout
        hasToken = members.contains { !$0.writes.isEmpty }
        var compared: [KeyVersion.KeyRevision: Int] = [:]
        if hasToken {
            request.compare.append(
                Compare(result: .equal, target: .create, key: EtcdBytes(token), create_revision: EtcdInt(0)))
            request.failure.append(RequestOp(request_range: RangeRequest(key: EtcdBytes(token), keys_only: true)))
            request.success.append(
                RequestOp(
                    request_put: PutRequest(key: EtcdBytes(token), value: EtcdBytes([]), lease: lease.map(EtcdInt.init))
                ))
            cost = cost + Cost.token(token)
        }
        // The generation pointer, compared once for every member (all were planned under `pin`).
        request.compare.append(
            Compare(
                result: .equal, target: .mod, key: EtcdBytes(layout.pointerKey), mod_revision: EtcdInt(pin.revision)))
        request.failure.append(RequestOp(request_range: RangeRequest(key: EtcdBytes(layout.pointerKey))))
        checks.append(.pointer(expected: pin.revision))
        owners.append(Array(members.indices))
        cost = cost + Cost(compares: 1, failureReads: 1, bytes: 2 * layout.pointerKey.count + 32)
        for (member, changes) in members.enumerated() {
            func compareMod(_ keyspace: Keyspace, _ key: [UInt8], _ revision: Int64) {
                let whole = layout.key(key, in: keyspace)
                let slot = KeyVersion.KeyRevision(key: whole, modRevision: revision)
                if let index = compared[slot] {
                    if owners[index].last != member { owners[index].append(member) }
                    return
                }
                compared[slot] = checks.count
                request.compare.append(
                    Compare(result: .equal, target: .mod, key: EtcdBytes(whole), mod_revision: EtcdInt(revision)))
                request.failure.append(RequestOp(request_range: RangeRequest(key: EtcdBytes(whole), keys_only: true)))
                checks.append(.key(keyspace, key, expected: revision))
                owners.append([member])
                cost = cost + Cost(compares: 1, failureReads: 1, bytes: 2 * whole.count + 32)
            }
            for read in changes.reads {
                switch read.version.stamp {
                case .absent: compareMod(read.keyspace, read.key, 0)
                case .revision(let revision): compareMod(read.keyspace, read.key, revision)
                default: throw Self.foreignVersion(read.version)
                }
            }
            for rangeRead in changes.rangeReads {
                guard case .revisions(let snapshot, let seen) = rangeRead.version.stamp else {
                    throw Self.foreignVersion(rangeRead.version)
                }
                guard snapshot >= pin.revision else { throw Self.generationMoved() }
                for entry in seen { compareMod(rangeRead.keyspace, entry.key, entry.modRevision) }
                guard let bounds = Self.bounds(of: rangeRead, in: layout) else { continue }
                request.compare.append(
                    Compare(
                        result: .less, target: .create, key: EtcdBytes(bounds.start), range_end: EtcdBytes(bounds.end),
                        create_revision: EtcdInt(snapshot + 1)))
                request.failure.append(
                    RequestOp(
                        request_range: RangeRequest(
                            // count_only would count every key: etcd filters by revision after counting.
                            key: EtcdBytes(bounds.start), range_end: EtcdBytes(bounds.end), limit: EtcdInt(1),
                            keys_only: true, min_create_revision: EtcdInt(snapshot + 1))))
                checks.append(.range(rangeRead.keyspace, rangeRead.range.lowerBound ?? [], createdAfter: snapshot + 1))
                owners.append([member])
                cost = cost + Cost(compares: 1, failureReads: 1, bytes: 4 * bounds.start.count + 64)
            }
        }
        for changes in members {
            for write in changes.writes {
                let whole = layout.key(write.key, in: write.keyspace)
                if let value = write.value {
                    request.success.append(
                        RequestOp(request_put: PutRequest(key: EtcdBytes(whole), value: EtcdBytes(value))))
                    cost = cost + Cost(operations: 1, bytes: whole.count + value.count + 16)
                } else {
                    request.success.append(RequestOp(request_delete_range: DeleteRangeRequest(key: EtcdBytes(whole))))
                    cost = cost + Cost(operations: 1, bytes: whole.count + 16)
                }
            }
        }
        guard cost.fits(maxOperations: maxOperations, maxBytes: maxBytes) else {
            let reads = members.reduce(0) { $0 + $1.reads.count }
            let rangeReads = members.reduce(0) { $0 + $1.rangeReads.count }
            let writes = members.reduce(0) { $0 + $1.writes.count }
            throw StorageError(
                code: .changeSetTooLarge, operation: "commit",
                message: "a change set of \(reads) reads, \(rangeReads) range reads and "
                    + "\(writes) writes needs \(request.compare.count) compares, "
                    + "\(request.success.count) operations and about \(cost.bytes) bytes in one etcd Txn, over the limit of "
                    + "\(maxOperations) (--max-txn-ops) or \(maxBytes) bytes (--max-request-bytes); nothing was written. "
                    + "Split the work into smaller change sets")
        }
    }

    /// The etcd range [start, end) a range read covers (up to just after `through` when the scan stopped early),
    /// or `nil` when it covers no key.
    static func bounds(of rangeRead: ChangeSet.RangeRead, in layout: EtcdKeyLayout) -> (start: [UInt8], end: [UInt8])? {
        guard var bounds = layout.bounds(of: rangeRead.range, in: rangeRead.keyspace) else { return nil }
        if let through = rangeRead.through {
            let after = layout.key(through, in: rangeRead.keyspace) + [0]
            if after.lexicographicallyPrecedes(bounds.end) { bounds.end = after }
        }
        return bounds
    }

    /// Whether a failed `Txn`'s answer shows the token already there: an earlier send of this same `Txn`
    /// committed and its answer was lost.
    func tokenWasCommitted(in answer: TxnResponse) -> Bool {
        guard hasToken, let first = answer.responses?.first?.response_range else { return false }
        return !(first.kvs ?? []).isEmpty
    }

    /// The members whose reads a failed `Txn`'s answer shows no longer holding, each with its first conflict
    /// (the keyspace and key that moved). Empty if the answer shows none, which a consistent answer never does.
    func conflicts(in answer: TxnResponse) -> [Int: StorageError] {
        let ranges = (answer.responses ?? []).dropFirst(hasToken ? 1 : 0).map(\.response_range)
        var found: [Int: StorageError] = [:]
        for ((check, range), members) in zip(zip(checks, ranges), owners) {
            let error: StorageError?
            switch check {
            case .key(let keyspace, let key, let expected):
                let now = range?.kvs?.first?.mod_revision?.value ?? 0
                error = now != expected ? StorageError.conflict(in: keyspace, key: key) : nil
            case .range(let keyspace, _, _):
                error = range?.kvs?.first.map { created in
                    StorageError.conflict(in: keyspace, key: Array(layout.rawKey(created.key.bytes, in: keyspace)))
                }
            case .pointer(let expected):
                error = EtcdGenerationPin(pointer: range).revision != expected ? Self.generationMoved() : nil
            }
            guard let error else { continue }
            for member in members where found[member] == nil { found[member] = error }
        }
        return found
    }

    /// The conflict a failed `Txn` of one change set shows: the first compare that did not hold.
    func conflict(in answer: TxnResponse) -> StorageError {
        if let first = conflicts(in: answer)[0] { return first }
        // Every compare is checked by one of the reads above, at the same revision; this is not expected.
        guard let first = checks.first else {
            return StorageError(
                code: .conflict, operation: "commit", message: "etcd refused the commit's compares; nothing was written"
            )
        }
        switch first {
        case .key(let keyspace, let key, _), .range(let keyspace, let key, _):
            return StorageError.conflict(in: keyspace, key: key)
        case .pointer:
            return Self.generationMoved()
        }
    }

    /// The generation pin a failed `Txn`'s answer shows (the pointer's read in its failure branch).
    func pointer(in answer: TxnResponse) -> EtcdGenerationPin? {
        guard let responses = answer.responses, responses.count > (hasToken ? 1 : 0) else { return nil }
        return EtcdGenerationPin(pointer: responses[hasToken ? 1 : 0].response_range)
    }

    /// The conflict of a change set planned against a generation that is no longer live.
    static func generationMoved() -> StorageError {
        StorageError(
            code: .conflict, operation: "commit",
            message: "an import or restore switched the catalog to a new generation after this transaction read it; "
                + "nothing was written")
    }

    private static func foreignVersion(_ version: KeyVersion) -> StorageError {
        StorageError(
            code: .invalidArgument, operation: "commit",
            message: "a change set read with version \(version) was not read from etcd; "
                + "stage it over an EtcdStore snapshot")
    }
}
