package import CatalogSealing
internal import CatalogStorage

/// Re-seals every sealed value of encoded records in place, for key rotation: each envelope is opened and sealed
/// again with the sealer's newest key and a fresh nonce into the same bytes (an envelope's length depends only on
/// its plaintext's), and the record's checksum is written again. Nothing else of a record moves, so unknown fields
/// stay where a newer program put them, and nothing is allocated per record.
///
/// Each record is walked by the format's one walker (`SealedFieldWalk` over `RecordFields`), so a record the full
/// decode would refuse is refused here with the same error.
package enum RecordResealing {
    /// Re-seals every record of `store` with `sealer`, a chunk at a time: the chunk's records are copied out of the
    /// snapshot into one buffer (LMDB cursors must not be written through while they scan) and re-sealed on the
    /// other cores (`ResealingJob`) while this thread puts the chunk before back, in key order; `progress` hears
    /// each chunk.
    ///
    /// - Throws: as `reseal(_:catalogID:with:nonces:)`, or what storage throws; the transaction must then abort.
    static func resealAll(
        in store: Keyspace, _ tx: borrowing WriteTransaction, catalogID: [UInt8], with sealer: Sealer,
        progress: (Int) -> Void
    ) throws {
        var range: KeyRange? = .all
        var job: ResealingJob?
        defer { _ = try? job?.wait() }
        while true {
            var chunk = RecordChunk(capacity: ChunkedWork.chunkSize, entryBytes: 640)
            if let scanned = range {
                try tx.scan(store, in: scanned) { key, value in
                    chunk.append(key: key, value: value)
                    return chunk.count < ChunkedWork.chunkSize
                }
                range = chunk.count == ChunkedWork.chunkSize ? chunk.lastKey.map { KeyRange(from: $0 + [0]) } : nil
            }
            let ready = try job?.wait()
            job = chunk.count == 0 ? nil : ResealingJob(consume chunk, catalogID: catalogID, sealer: sealer)
            if let ready {
                try ready.forEachEntry { key, value in try tx.put(value, forKey: key, in: store) }
                progress(ready.count)
            }
            guard job != nil else { return }
        }
    }

    /// Re-seals every record of `chunk` on every core, a part each.
    ///
    /// - Throws: the first error of `reseal`, in record order; the chunk is then partly re-sealed.
    static func reseal(all chunk: inout RecordChunk, catalogID: [UInt8], with sealer: Sealer) throws {
        let values = chunk.values
        let failures = chunk.withMutableBytes { buffer in
            // Safe because: each part re-seals only the records of its own range of the buffer.
            let shared = UncheckedShared(buffer)
            return catalogID.withUnsafeBytes { catalogID in
                ChunkedWork.run(count: values.count) { part -> (any Error)? in
                    let nonces = RandomReservoir()
                    do {
                        for index in part {
                            try reseal(
                                UnsafeMutableRawBufferPointer(rebasing: shared.value[values[index]]),
                                catalogID: catalogID, with: sealer, nonces: nonces)
                        }
                        return nil
                    } catch {
                        return error
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }

    /// Re-seals the sealed values of `record` for the catalog `catalogID` (16 bytes), its nonces from `nonces`.
    ///
    /// - Throws: `CatalogError` `.integrityError` (or `.catalogTooNew`) for a record that does not decode, and the
    ///   sealing layer's error, as a `CatalogError` naming the field and connection, for a value that does not open.
    ///   The record may then be partly re-sealed: the caller drops it.
    package static func reseal(
        _ record: UnsafeMutableRawBufferPointer, catalogID: UnsafeRawBufferPointer, with sealer: Sealer,
        nonces: RandomReservoir
    ) throws {
        let bytes = UnsafeRawBufferPointer(record)
        var walk = try SealedFieldWalk(bytes)
        // A sealed field met before the id and the workspace (a writer emits them first) is re-sealed by a second walk.
        var deferred = false
        while let field = try walk.next() {
            guard let id = walk.seen.id, let workspace = walk.seen.workspace else {
                deferred = true
                continue
            }
            do {
                try resealOne(field, of: record, id: id, workspace: workspace, catalogID: catalogID, sealer, nonces)
            } catch {
                throw try failure(error, resealing: field, walk: &walk)
            }
        }
        let identity = walk.identity
        storeChecksum(of: record)
        guard deferred else { return }
        var again = try SealedFieldWalk(bytes)
        while let field = try again.next() {
            let envelope = field.envelope.lowerBound
            guard envelope < identity.id.lowerBound || envelope < identity.workspace.lowerBound else { continue }
            do {
                try resealOne(
                    field, of: record, id: identity.id, workspace: identity.workspace, catalogID: catalogID, sealer,
                    nonces)
            } catch {
                throw try failure(error, resealing: field, walk: &again)
            }
        }
        storeChecksum(of: record)
    }

    /// Writes the CRC-32C of everything before a record's last four bytes into them.
    private static func storeChecksum(of record: UnsafeMutableRawBufferPointer) {
        let checksumOffset = record.count - 4
        let checksum = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: record[..<checksumOffset]))
        record.storeBytes(of: checksum.littleEndian, toByteOffset: checksumOffset, as: UInt32.self)
    }

    /// Re-seals one envelope of `record` for the place the full decode gives it: the stored workspace lower case,
    /// the field name as stored. On failure the envelope is unchanged.
    private static func resealOne(
        _ field: SealedFieldWalk.SealedField, of record: UnsafeMutableRawBufferPointer, id: Range<Int>,
        workspace: Range<Int>, catalogID: UnsafeRawBufferPointer, _ sealer: Sealer, _ nonces: RandomReservoir
    ) throws {
        let bytes = UnsafeRawBufferPointer(record)
        let connectionID = UnsafeRawBufferPointer(rebasing: bytes[id])
        let fieldName = UnsafeRawBufferPointer(rebasing: bytes[field.key])
        try withLowercased(UnsafeRawBufferPointer(rebasing: bytes[workspace])) { workspace in
            try sealer.resealInPlace(
                envelope: UnsafeMutableRawBufferPointer(rebasing: record[field.envelope]), catalogID: catalogID,
                workspace: workspace, connectionID: connectionID, fieldName: fieldName, nonces: nonces)
        }
    }

    /// The error for a value that did not re-seal: a sealing error names the field and the connection (the walk
    /// goes on to the end for the name and version), any other passes as it is.
    private static func failure(
        _ error: any Error, resealing field: SealedFieldWalk.SealedField, walk: inout SealedFieldWalk
    ) throws -> any Error {
        guard let error = error as? SealingError else { return error }
        let identity = try walk.finish()
        let name = String(decoding: walk.slice(field.key), as: UTF8.self)
        let connection = ASCII.lowercased(String(decoding: walk.slice(identity.name), as: UTF8.self))
        return CatalogError.sealing(
            error, doing: "re-sealing \(name) of connection '\(connection)' (version \(identity.version))")
    }

    /// Lends `body` the ASCII bytes `bytes` lower case: as they are when they are already (as every writer stores
    /// them), else copied on the stack.
    private static func withLowercased(
        _ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard bytes.contains(where: ASCII.isUpper) else { return try body(bytes) }
        try withUnsafeTemporaryAllocation(byteCount: Swift.max(bytes.count, 1), alignment: 1) { buffer in
            for index in bytes.indices { buffer[index] = ASCII.lowercased(bytes[index]) }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count]))
        }
    }
}
