public import Logging

/// Seals and opens secret values with a keyring: XChaCha20-Poly1305, a fresh random nonce per seal.
///
/// Values are sealed with the keyring's newest data key; any key of the keyring opens. The AEAD
/// additional data is the envelope header (version and key id) followed by the canonical encoding of
/// `AdditionalData`, so both the header and the value's place are authenticated.
///
/// A `Sealer` is immutable and safe to share across threads and tasks.
public final class Sealer: Sendable {
    /// The keys this sealer uses.
    public let keyring: Keyring
    private let logger: Logger?

    /// Creates a sealer over `keyring`; `logger` receives open failures (key id, reason, field name),
    /// never values.
    public init(keyring: Keyring, logger: Logger? = nil) {
        self.keyring = keyring
        self.logger = logger
    }

    // MARK: Sealing

    /// Seals `plaintext` for `place` with the newest data key and a fresh random nonce.
    public func seal(_ plaintext: UnsafeRawBufferPointer, for place: AdditionalData) -> SealedValue {
        seal(plaintext, for: place, keyID: keyring.newestKeyID, nonce: nil)
    }

    /// Seals `plaintext` for `place`; the caller wipes its own array when done with it.
    public func seal(_ plaintext: [UInt8], for place: AdditionalData) -> SealedValue {
        plaintext.withUnsafeBytes { seal($0, for: place) }
    }

    /// Seals secret bytes for `place` without copying them out of guarded memory.
    public func seal(_ plaintext: SecretBytes, for place: AdditionalData) -> SealedValue {
        plaintext.withBytes { seal($0, for: place) }
    }

    /// Seals the UTF-8 bytes of `plaintext` for `place` (for secret property values).
    public func seal(utf8 plaintext: String, for place: AdditionalData) -> SealedValue {
        var plaintext = plaintext
        return plaintext.withUTF8 { seal(UnsafeRawBufferPointer($0), for: place) }
    }

    /// Seals a new random identifier of `count` characters of `[A-Za-z0-9]` for `place`, such as a connection's
    /// external ID. The plaintext exists only in a buffer of this call, wiped before it returns; read it back
    /// with `withOpened`.
    public func sealNewAlphanumeric(count: Int, for place: AdditionalData) -> SealedValue {
        sealNewAlphanumeric(count: count, for: place, random: nil)
    }

    /// `seal(_:for:)` with its nonce from `random`, for a write that seals many values (its creates).
    package func seal(
        _ plaintext: UnsafeRawBufferPointer, for place: AdditionalData, random: RandomReservoir
    )
        -> SealedValue
    {
        seal(plaintext, for: place, keyID: keyring.newestKeyID) { random.take(into: $0) }
    }

    /// `sealNewAlphanumeric(count:for:)` with the identifier's random bytes and the nonce from `random`.
    package func sealNewAlphanumeric(count: Int, for place: AdditionalData, random: RandomReservoir?) -> SealedValue {
        withUnsafeTemporaryAllocation(byteCount: Swift.max(count, 1), alignment: 1) { buffer in
            defer { wipe(buffer) }
            let plaintext = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            guard let random else {
                SecureRandom.fillAlphanumeric(plaintext)
                return seal(UnsafeRawBufferPointer(plaintext), for: place)
            }
            SecureRandom.fillAlphanumeric(plaintext, from: random)
            return seal(UnsafeRawBufferPointer(plaintext), for: place, random: random)
        }
    }

    /// Seals with an explicit key id and, for the documented test vector only, an explicit nonce.
    ///
    /// Reusing a nonce with the same key destroys confidentiality; production code passes `nil`.
    package func seal(
        _ plaintext: UnsafeRawBufferPointer, for place: AdditionalData, keyID: UInt32, nonce: [UInt8]?
    ) -> SealedValue {
        precondition(nonce == nil || nonce!.count == SodiumSize.aeadNonce, "a nonce is 24 bytes")
        return seal(plaintext, for: place, keyID: keyID) { slot in
            if let nonce { slot.copyBytes(from: nonce) } else { SecureRandom.fill(slot) }
        }
    }

    /// Seals with data key `keyID`, the nonce written by `writeNonce` into its 24-byte slot of the envelope.
    private func seal(
        _ plaintext: UnsafeRawBufferPointer, for place: AdditionalData, keyID: UInt32,
        writeNonce: (UnsafeMutableRawBufferPointer) -> Void
    ) -> SealedValue {
        guard let dataKey = keyring.key(withID: keyID) else {
            preconditionFailure("the keyring holds no data key \(keyID)")
        }
        let total = SealedValue.minimumLength + plaintext.count
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            writeNonce(UnsafeMutableRawBufferPointer(rebasing: raw[SealedValue.nonceRange]))
            place.encoded.withUnsafeBytes { encodedPlace in
                writeEnvelope(of: plaintext, encodedPlace: encodedPlace, keyID: keyID, dataKey: dataKey, into: raw)
            }
            initialized = total
        }
        return SealedValue(validated: bytes)
    }

    /// Re-seals, in place, an envelope read for the place given by its parts (as
    /// `withOpened(envelope:catalogID:workspace:connectionID:fieldName:_:)` takes them): opens it, then seals its
    /// plaintext again with the newest data key and a nonce from `nonces` into the same bytes, which the new
    /// envelope fills exactly (its length depends only on the plaintext's).
    ///
    /// Key rotation's hot path: nothing is allocated (the place and the plaintext live on the stack, and the
    /// plaintext is wiped after).
    /// - Throws: as `withOpened(envelope:catalogID:workspace:connectionID:fieldName:_:)`; `envelope` is then
    ///   unchanged.
    package func resealInPlace(
        envelope: UnsafeMutableRawBufferPointer, catalogID: UnsafeRawBufferPointer, workspace: UnsafeRawBufferPointer,
        connectionID: UnsafeRawBufferPointer, fieldName: UnsafeRawBufferPointer, nonces: RandomReservoir
    ) throws {
        let sealed = UnsafeRawBufferPointer(envelope)
        try SealedValue.check(sealed)
        let keyID = keyring.newestKeyID
        guard let dataKey = keyring.key(withID: keyID) else {
            preconditionFailure("the keyring holds no data key \(keyID)")
        }
        try withOpened(
            envelope: sealed, catalogID: catalogID, workspace: workspace, connectionID: connectionID,
            fieldName: fieldName
        ) { plaintext in
            let count = AdditionalData.encodedCount(workspace: workspace.count, fieldName: fieldName.count)
            withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { encodedPlace in
                AdditionalData.encode(
                    catalogID: catalogID, workspace: workspace, connectionID: connectionID, fieldName: fieldName,
                    into: encodedPlace)
                nonces.take(into: UnsafeMutableRawBufferPointer(rebasing: envelope[SealedValue.nonceRange]))
                writeEnvelope(
                    of: plaintext, encodedPlace: UnsafeRawBufferPointer(encodedPlace), keyID: keyID, dataKey: dataKey,
                    into: envelope)
            }
        }
    }

    /// Writes the header (version, `keyID`), then the ciphertext and tag of `plaintext` sealed with `dataKey` for
    /// the encoded place, into `envelope` (`minimumLength + plaintext.count` bytes), whose nonce the caller has
    /// written: the one writer of the envelope's layout.
    private func writeEnvelope(
        of plaintext: UnsafeRawBufferPointer, encodedPlace: UnsafeRawBufferPointer, keyID: UInt32,
        dataKey: SecretBytes, into envelope: UnsafeMutableRawBufferPointer
    ) {
        precondition(envelope.count == SealedValue.minimumLength + plaintext.count)
        envelope[0] = SealedValue.currentVersion
        envelope.storeBytes(of: keyID.bigEndian, toByteOffset: 1, as: UInt32.self)
        let nonceRange = SealedValue.nonceRange
        let header = UnsafeRawBufferPointer(rebasing: envelope[0..<SealedValue.headerLength])
        withAuthenticatedData(header: header, encodedPlace: encodedPlace) { ad in
            dataKey.withBytes { key in
                AEAD.encrypt(
                    plaintext, additionalData: ad, nonce: UnsafeRawBufferPointer(rebasing: envelope[nonceRange]),
                    key: key, into: UnsafeMutableRawBufferPointer(rebasing: envelope[nonceRange.upperBound...]))
            }
        }
    }

    // MARK: Opening

    /// Opens `value` into guarded memory.
    ///
    /// - Throws: `SealingError` `.integrityError` with reason `.unknownKeyID` if the keyring lacks the
    ///   value's data key, or `.authenticationFailed` if the value was altered, belongs to another place
    ///   (catalog, workspace, connection or field), or was sealed under another key.
    public func open(_ value: SealedValue, for place: AdditionalData) throws(SealingError) -> SecretBytes {
        try SecretBytes(count: value.plaintextCount) { (output: UnsafeMutableRawBufferPointer) throws(SealingError) in
            try decrypt(value, for: place, into: output)
        }
    }

    /// Opens `value` into a temporary buffer, lends it to `body`, then wipes it.
    ///
    /// Cheaper than `open(_:for:)` (no guarded allocation); the buffer must not escape `body`.
    /// - Throws: as `open(_:for:)`, or whatever `body` throws.
    public func withOpened<R>(
        _ value: SealedValue, for place: AdditionalData, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        var result: R?
        try value.bytes.withUnsafeBytes { envelope in
            try place.encoded.withUnsafeBytes { encodedPlace in
                try withOpened(envelope: envelope, encodedPlace: encodedPlace, place: { place }) {
                    result = try body($0)
                }
            }
        }
        return result!
    }

    /// Opens an envelope read in place, such as a field of a record in the storage map, for the place given
    /// by its parts; lends the plaintext to `body` and wipes it after.
    ///
    /// The hot path of a lookup: neither the envelope nor the place is copied to the heap (the additional
    /// data is assembled on the stack), and nothing here is generic, so no type metadata is looked up per
    /// call. `workspace` and `fieldName` are UTF-8 in their canonical forms, ids 16 bytes each, exactly as
    /// `AdditionalData` takes them.
    /// - Throws: what `SealedValue(bytes:)` throws for a malformed envelope, then as `open(_:for:)`, or
    ///   whatever `body` throws.
    public func withOpened(
        envelope: UnsafeRawBufferPointer, catalogID: UnsafeRawBufferPointer, workspace: UnsafeRawBufferPointer,
        connectionID: UnsafeRawBufferPointer, fieldName: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try SealedValue.check(envelope)
        let count = AdditionalData.encodedCount(workspace: workspace.count, fieldName: fieldName.count)
        try withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { encodedPlace in
            AdditionalData.encode(
                catalogID: catalogID, workspace: workspace, connectionID: connectionID, fieldName: fieldName,
                into: encodedPlace)
            // The place is built only for a failure's log line; its closure is passed straight down, so that it
            // stays on the stack (one kept in a constant was heap-allocated on every call).
            try withOpened(
                envelope: envelope, encodedPlace: UnsafeRawBufferPointer(encodedPlace),
                place: {
                    AdditionalData(
                        catalogID: Array(catalogID), workspace: String(decoding: workspace, as: UTF8.self),
                        connectionID: Array(connectionID), fieldName: String(decoding: fieldName, as: UTF8.self))
                }, body)
        }
    }

    /// Opens an envelope already checked (a parsed `SealedValue`, or by the caller) for an encoded place.
    private func withOpened(
        envelope: UnsafeRawBufferPointer, encodedPlace: UnsafeRawBufferPointer, place: () -> AdditionalData,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let plaintextCount = envelope.count - SealedValue.minimumLength
        try withUnsafeTemporaryAllocation(byteCount: Swift.max(plaintextCount, 1), alignment: 1) { scratch in
            let output = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<plaintextCount])
            defer { wipe(scratch) }
            try decrypt(envelope: envelope, encodedPlace: encodedPlace, place: place, into: output)
            try body(UnsafeRawBufferPointer(output))
        }
    }

    private func decrypt(
        _ value: SealedValue, for place: AdditionalData, into output: UnsafeMutableRawBufferPointer
    )
        throws(SealingError)
    {
        let result: Result<Void, SealingError> = value.bytes.withUnsafeBytes { envelope in
            place.encoded.withUnsafeBytes { encodedPlace in
                do throws(SealingError) {
                    return .success(
                        try decrypt(envelope: envelope, encodedPlace: encodedPlace, place: { place }, into: output))
                } catch {
                    return .failure(error)
                }
            }
        }
        try result.get()
    }

    /// Decrypts a checked envelope; the additional data is its header followed by `encodedPlace`.
    private func decrypt(
        envelope: UnsafeRawBufferPointer, encodedPlace: UnsafeRawBufferPointer, place: () -> AdditionalData,
        into output: UnsafeMutableRawBufferPointer
    ) throws(SealingError) {
        let headerLength = SealedValue.headerLength
        let keyID = UInt32(bigEndian: envelope.loadUnaligned(fromByteOffset: 1, as: UInt32.self))
        guard let dataKey = keyring.key(withID: keyID) else {
            let error = SealingError.integrity(
                .unknownKeyID,
                "sealed value names data key \(keyID), which the keyring does not hold (it holds "
                    + "\(keyring.keyIDs.map(String.init).joined(separator: ", "))); the record was altered or "
                    + "comes from another catalog",
                details: ["key_id": String(keyID)])
            log(error, keyID: keyID, place: place())
            throw error
        }
        let nonceRange = headerLength..<(headerLength + SodiumSize.aeadNonce)
        let opened = withAuthenticatedData(
            header: UnsafeRawBufferPointer(rebasing: envelope[0..<headerLength]), encodedPlace: encodedPlace
        ) { ad in
            dataKey.withBytes { key in
                AEAD.decrypt(
                    UnsafeRawBufferPointer(rebasing: envelope[nonceRange.upperBound...]), additionalData: ad,
                    nonce: UnsafeRawBufferPointer(rebasing: envelope[nonceRange]), key: key, into: output)
            }
        }
        guard opened else {
            let place = place()
            let error = SealingError.integrity(
                .authenticationFailed,
                "sealed value failed authentication: it was altered, copied from another record or field, "
                    + "or sealed under another key; restore the record from a backup",
                details: ["key_id": String(keyID), "field": place.fieldName])
            log(error, keyID: keyID, place: place)
            throw error
        }
    }

    private func log(_ error: SealingError, keyID: UInt32, place: AdditionalData) {
        logger?.debug(
            "sealed value did not open",
            metadata: [
                "reason": "\(error.reason.rawValue)", "key_id": "\(keyID)", "field": "\(place.fieldName)",
                "connection_id": "\(Hex.encode(place.connectionID))",
            ])
    }

    /// Lends `header | encodedPlace`, the AEAD additional data, to `body`.
    private func withAuthenticatedData<R>(
        header: UnsafeRawBufferPointer, encodedPlace: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        let count = header.count + encodedPlace.count
        return withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { buffer in
            UnsafeMutableRawBufferPointer(rebasing: buffer[0..<header.count]).copyMemory(from: header)
            UnsafeMutableRawBufferPointer(rebasing: buffer[header.count...]).copyMemory(from: encodedPlace)
            return body(UnsafeRawBufferPointer(buffer))
        }
    }
}
