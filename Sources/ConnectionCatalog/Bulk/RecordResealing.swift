internal import CatalogSealing

/// Re-seals every sealed value of one encoded record in place, for key rotation: each envelope is opened and
/// sealed again with the sealer's newest key and a fresh nonce into the same bytes (an envelope's length depends
/// only on its plaintext's), and the record's checksum is written again. Nothing else of the record moves, so
/// unknown fields stay where a newer program put them.
///
/// The record is walked by the format's one walker first (`SealedFieldWalk` over `RecordFields`), so a record the full decode would
/// refuse is refused here with the same error, and nothing is written.
enum RecordResealing {
    /// Re-seals the sealed values of `record` for the catalog `catalogID`.
    ///
    /// - Throws: `CatalogError` `.integrityError` (or `.catalogTooNew`) for a record that does not decode, and the
    ///   sealing layer's error, as a `CatalogError` naming the field and connection, for a value that does not open.
    static func reseal(_ record: inout [UInt8], catalogID: [UInt8], with sealer: Sealer) throws {
        try record.withUnsafeMutableBytes { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            // The whole record is checked before anything is written, then walked again to re-seal.
            var check = try SealedFieldWalk(bytes)
            let identity = try check.finish()
            var walk = try SealedFieldWalk(bytes)
            while let field = try walk.next() {
                do {
                    try resealOne(
                        buffer, envelope: field.envelope, key: field.key, id: identity.id,
                        workspace: identity.workspace, catalogID: catalogID, with: sealer)
                } catch let error as SealingError {
                    let field = String(decoding: walk.slice(field.key), as: UTF8.self)
                    let connection = ASCII.lowercased(String(decoding: walk.slice(identity.name), as: UTF8.self))
                    throw CatalogError.sealing(
                        error, doing: "re-sealing \(field) of connection '\(connection)' (version \(identity.version))")
                }
            }
            let checksumOffset = buffer.count - 4
            let checksum = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<checksumOffset]))
            buffer.storeBytes(of: checksum.littleEndian, toByteOffset: checksumOffset, as: UInt32.self)
        }
    }

    /// Re-seals every record of `records` on every core, a part each.
    ///
    /// - Throws: the first error of `reseal`, in record order; the records are then partly re-sealed.
    static func reseal(all records: inout [[UInt8]], catalogID: [UInt8], with sealer: Sealer) throws {
        let failures = records.withUnsafeMutableBufferPointer { records in
            // Safe because: each part re-seals only the records of its own range.
            let shared = UncheckedShared(records)
            return ChunkedWork.run(count: records.count) { part -> (any Error)? in
                do {
                    for index in part { try reseal(&shared.value[index], catalogID: catalogID, with: sealer) }
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }

    private static func resealOne(
        _ buffer: UnsafeMutableRawBufferPointer, envelope: Range<Int>, key: Range<Int>, id: Range<Int>,
        workspace: Range<Int>, catalogID: [UInt8], with sealer: Sealer
    ) throws {
        let bytes = UnsafeRawBufferPointer(buffer)
        // The place as the full decode gives it: the stored workspace lower case, the field name as stored.
        let place = AdditionalData(
            catalogID: catalogID,
            workspace: ASCII.lowercased(
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[workspace]), as: UTF8.self)),
            connectionID: Array(UnsafeRawBufferPointer(rebasing: bytes[id])),
            fieldName: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[key]), as: UTF8.self))
        let opened = try SealedValue(bytes: Array(UnsafeRawBufferPointer(rebasing: bytes[envelope])))
        let resealed = try sealer.withOpened(opened, for: place) { plaintext in sealer.seal(plaintext, for: place) }
        precondition(resealed.bytes.count == envelope.count, "a re-sealed value has the length of the one it replaces")
        UnsafeMutableRawBufferPointer(rebasing: buffer[envelope]).copyBytes(from: resealed.bytes)
    }
}
