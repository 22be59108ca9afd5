import CatalogStorage

/// A change set as one etcd `Txn`: compares for everything it read, its puts and deletes with the commit token
/// as the success branch, and, as the failure branch, the reads that tell which compare failed and whether the
/// token is already there.
///
/// - Each key read: `mod_revision == r` (absent: `== 0`, which etcd compares for a missing key).
/// - Each range read: `mod_revision == r` for every entry the scan visited (a change or a delete fails it), and
///   `create_revision < snapshot + 1` over [start, end) (a key created in the range since fails it); `end` is
///   just after the last entry visited when the scan stopped early.
/// - A change set with writes also compares `create_revision == 0` of its token `/<prefix>/_commits/<id>` and
///   puts the token: the same `Txn` sent twice (its answer was lost) applies at most once, and its failure
///   branch reads the token, so the second answer says whether the first one committed.
/// - Every change set compares the generation pointer's mod revision with the pin it was planned under (its keys
///   are those of that generation): after an import or a restore switched generations it conflicts, and its body
///   runs again against the new one. A range read at a snapshot older than the pin conflicts before anything is
///   sent (its scan saw an older generation).
struct EtcdCommitPlan {
    /// What one failure-branch read checks, to name the conflict.
    enum Check {
        case key(Keyspace, [UInt8], expected: Int64)
        case range(Keyspace, [UInt8], createdAfter: Int64)
        case pointer(expected: Int64)
    }

    var request = TxnRequest()
    let layout: EtcdKeyLayout
    /// One per failure op after the token's read (if any), in order.
    private(set) var checks: [Check] = []
    let hasToken: Bool

    /// The plan of `changes`, with its token put on `lease`.
    ///
    /// - Throws: `.changeSetTooLarge` if the `Txn` would exceed `maxOperations` compares or operations, or
    ///   roughly `maxBytes`; `.invalidArgument` if a version was not stamped by etcd.
    init(
        _ changes: ChangeSet, layout: EtcdKeyLayout, pin: EtcdGenerationPin, token: [UInt8], lease: Int64?,
        maxOperations: Int, maxBytes: Int
    ) throws(StorageError) {
        self.layout = layout
        hasToken = !changes.writes.isEmpty
        var bytes = 0
        var compared = Set<KeyVersion.KeyRevision>()
        func compareMod(_ keyspace: Keyspace, _ key: [UInt8], _ revision: Int64) {
            let whole = layout.key(key, in: keyspace)
            guard compared.insert(KeyVersion.KeyRevision(key: whole, modRevision: revision)).inserted else { return }
            request.compare.append(
                Compare(result: .equal, target: .mod, key: EtcdBytes(whole), mod_revision: EtcdInt(revision)))
            request.failure.append(RequestOp(request_range: RangeRequest(key: EtcdBytes(whole), keys_only: true)))
            checks.append(.key(keyspace, key, expected: revision))
            bytes += 2 * whole.count + 32
        }
        if hasToken {
            request.compare.append(Compare(result: .equal, target: .create, key: EtcdBytes(token), create_revision: EtcdInt(0)))
            request.failure.append(RequestOp(request_range: RangeRequest(key: EtcdBytes(token), keys_only: true)))
            request.success.append(
                RequestOp(request_put: PutRequest(key: EtcdBytes(token), value: EtcdBytes([]), lease: lease.map(EtcdInt.init))))
            bytes += 3 * token.count + 48
        }
        request.compare.append(
            Compare(result: .equal, target: .mod, key: EtcdBytes(layout.pointerKey), mod_revision: EtcdInt(pin.revision)))
        request.failure.append(RequestOp(request_range: RangeRequest(key: EtcdBytes(layout.pointerKey))))
        checks.append(.pointer(expected: pin.revision))
        bytes += 2 * layout.pointerKey.count + 32
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
            guard var bounds = layout.bounds(of: rangeRead.range, in: rangeRead.keyspace) else { continue }
            if let through = rangeRead.through {
                let after = layout.key(through, in: rangeRead.keyspace) + [0]
                if after.lexicographicallyPrecedes(bounds.end) { bounds.end = after }
            }
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
            bytes += 4 * bounds.start.count + 64
        }
        for write in changes.writes {
            let whole = layout.key(write.key, in: write.keyspace)
            if let value = write.value {
                request.success.append(RequestOp(request_put: PutRequest(key: EtcdBytes(whole), value: EtcdBytes(value))))
                bytes += whole.count + value.count + 16
            } else {
                request.success.append(RequestOp(request_delete_range: DeleteRangeRequest(key: EtcdBytes(whole))))
                bytes += whole.count + 16
            }
        }
        let operations = max(request.compare.count, request.success.count, request.failure.count)
        guard operations <= maxOperations, bytes <= maxBytes else {
            throw StorageError(
                code: .changeSetTooLarge, operation: "commit",
                message: "a change set of \(changes.reads.count) reads, \(changes.rangeReads.count) range reads and "
                    + "\(changes.writes.count) writes needs \(request.compare.count) compares, "
                    + "\(request.success.count) operations and about \(bytes) bytes in one etcd Txn, over the limit of "
                    + "\(maxOperations) (--max-txn-ops) or \(maxBytes) bytes (--max-request-bytes); nothing was written. "
                    + "Split the work into smaller change sets")
        }
    }

    /// Whether a failed `Txn`'s answer shows the token already there: an earlier send of this same `Txn`
    /// committed and its answer was lost.
    func tokenWasCommitted(in answer: TxnResponse) -> Bool {
        guard hasToken, let first = answer.responses?.first?.response_range else { return false }
        return !(first.kvs ?? []).isEmpty
    }

    /// The conflict a failed `Txn`'s answer shows: the first compare that did not hold.
    func conflict(in answer: TxnResponse) -> StorageError {
        let ranges = (answer.responses ?? []).dropFirst(hasToken ? 1 : 0).map(\.response_range)
        for (check, range) in zip(checks, ranges) {
            switch check {
            case .key(let keyspace, let key, let expected):
                let now = range?.kvs?.first?.mod_revision?.value ?? 0
                if now != expected { return StorageError.conflict(in: keyspace, key: key) }
            case .range(let keyspace, _, _):
                if let created = range?.kvs?.first {
                    return StorageError.conflict(in: keyspace, key: Array(layout.rawKey(created.key.bytes, in: keyspace)))
                }
            case .pointer(let expected):
                if EtcdGenerationPin(pointer: range).revision != expected { return Self.generationMoved() }
            }
        }
        // Every compare is checked by one of the reads above, at the same revision; this is not expected.
        guard let first = checks.first else {
            return StorageError(code: .conflict, operation: "commit", message: "etcd refused the commit's compares; nothing was written")
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
