import CatalogSealing
import Testing

@Suite struct EnvelopeTests {
    let sealer = Sealer(keyring: Keyring.generate().rotated())

    @Test(arguments: [0, 1, 65_536])
    func sealThenOpenRoundTrips(length: Int) throws {
        let plaintext = SecureRandom.bytes(count: length)
        let sealed = sealer.seal(plaintext, for: Fixture.place())
        #expect(sealed.bytes.count == SealedValue.minimumLength + length)
        #expect(sealed.keyID == sealer.keyring.newestKeyID)
        let opened = try sealer.open(SealedValue(bytes: sealed.bytes), for: Fixture.place())
        #expect(opened.withBytes { Array($0) } == plaintext)
        let borrowed = try sealer.withOpened(sealed, for: Fixture.place()) { Array($0) }
        #expect(borrowed == plaintext)
    }

    @Test func newAlphanumericSecretsAreSealedForTheirPlaceOnly() throws {
        let place = Fixture.place(field: "EXTERNAL_ID")
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let opened = try (0..<100).map { _ in
            let sealed = sealer.sealNewAlphanumeric(count: 16, for: place)
            #expect(sealed.plaintextCount == 16)
            #expect(throws: SealingError.self) { try sealer.withOpened(sealed, for: Fixture.place()) { _ in } }
            return try sealer.withOpened(sealed, for: place) { Array($0) }
        }
        #expect(opened.allSatisfy { $0.count == 16 && $0.allSatisfy(allowed.contains) })
        #expect(Set(opened).count == opened.count)
        // The same path, as the raw parts a lookup in place passes.
        let sealed = sealer.sealNewAlphanumeric(count: 16, for: place)
        let (workspace, field) = (Array("default".utf8), Array("EXTERNAL_ID".utf8))
        var inPlace: [UInt8] = []
        try sealed.bytes.withUnsafeBytes { envelope in
            try Fixture.catalogID.withUnsafeBytes { catalogID in
                try Fixture.connectionID.withUnsafeBytes { connectionID in
                    try workspace.withUnsafeBytes { workspace in
                        try field.withUnsafeBytes { field in
                            try sealer.withOpened(
                                envelope: envelope, catalogID: catalogID, workspace: workspace,
                                connectionID: connectionID, fieldName: field
                            ) { inPlace = Array($0) }
                        }
                    }
                }
            }
        }
        #expect(inPlace == (try sealer.withOpened(sealed, for: place) { Array($0) }))
    }

    /// Opening in place checks the envelope's frame first, as parsing a `SealedValue` does.
    @Test func openingInPlaceRefusesAMalformedEnvelope() throws {
        var newer = sealer.sealNewAlphanumeric(count: 16, for: Fixture.place()).bytes
        newer[0] = SealedValue.currentVersion + 1
        let cases: [([UInt8], SealingError.Reason)] = [
            ([], .truncated), (Array(newer.prefix(10)), .unknownVersion), (Array(repeating: 1, count: 10), .truncated),
            (newer, .unknownVersion),
        ]
        for (envelope, reason) in cases {
            let error = try #require(throws: SealingError.self) {
                try envelope.withUnsafeBytes { envelope in
                    try Fixture.catalogID.withUnsafeBytes { catalogID in
                        try Fixture.connectionID.withUnsafeBytes { connectionID in
                            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
                            try sealer.withOpened(
                                envelope: envelope, catalogID: catalogID, workspace: empty,
                                connectionID: connectionID, fieldName: empty
                            ) { _ in Issue.record("opened a malformed envelope") }
                        }
                    }
                }
            }
            #expect(error.reason == reason, "\(envelope.count) bytes")
        }
    }

    @Test func everySealUsesAFreshNonce() {
        let a = sealer.seal(utf8: "same", for: Fixture.place())
        let b = sealer.seal(utf8: "same", for: Fixture.place())
        #expect(a != b)
    }

    @Test func flippingAnyByteFailsWithTheReasonForItsPosition() throws {
        let sealed = sealer.seal(utf8: "a secret access key", for: Fixture.place())
        for position in sealed.bytes.indices {
            for mask: UInt8 in [0x01, 0x80, 0xff] {
                var bytes = sealed.bytes
                bytes[position] ^= mask
                let error = Fixture.sealingError {
                    _ = try sealer.open(SealedValue(bytes: bytes), for: Fixture.place())
                }
                let expected: SealingError.Reason
                switch position {
                case 0: expected = .unknownVersion
                case 1...4:
                    let id = bytes.withUnsafeBytes {
                        UInt32(bigEndian: $0.loadUnaligned(fromByteOffset: 1, as: UInt32.self))
                    }
                    expected = sealer.keyring.keyIDs.contains(id) ? .authenticationFailed : .unknownKeyID
                default: expected = .authenticationFailed
                }
                #expect(error?.reason == expected, "byte \(position) ^ \(mask)")
                let expectedCode: SealingError.Code = expected == .unknownVersion ? .invalidValue : .integrityError
                #expect(error?.code == expectedCode, "byte \(position) ^ \(mask)")
            }
        }
    }

    @Test func swappingTheKeyIDToAnotherHeldKeyFailsAuthentication() throws {
        var bytes = sealer.seal(utf8: "x", for: Fixture.place()).bytes
        bytes[4] = 1  // the older key of the keyring
        let error = Fixture.sealingError { _ = try sealer.open(SealedValue(bytes: bytes), for: Fixture.place()) }
        #expect(error?.reason == .authenticationFailed)
    }

    @Test func truncatedEnvelopeIsReportedAsTruncated() {
        let bytes = sealer.seal(utf8: "x", for: Fixture.place()).bytes
        for length in 0..<SealedValue.minimumLength {
            let error = Fixture.sealingError { _ = try SealedValue(bytes: Array(bytes.prefix(length))) }
            #expect(error?.code == .integrityError)
            #expect(error?.reason == .truncated, "length \(length)")
        }
        // Cutting the last byte still leaves a well-formed (empty) envelope, which fails authentication.
        let error = Fixture.sealingError {
            _ = try sealer.open(SealedValue(bytes: Array(bytes.dropLast())), for: Fixture.place())
        }
        #expect(error?.reason == .authenticationFailed)
    }

    @Test func unknownVersionIsReportedBeforeDecryption() {
        var bytes = sealer.seal(utf8: "x", for: Fixture.place()).bytes
        bytes[0] = 2
        let error = Fixture.sealingError { _ = try SealedValue(bytes: bytes) }
        #expect(error?.code == .invalidValue)
        #expect(error?.reason == .unknownVersion)
        #expect(error?.message.contains("version 2") == true)
    }

    @Test func unknownKeyIDIsReportedWithItsID() throws {
        let other = Sealer(keyring: Keyring.generate().rotated().rotated())  // newest id 3
        let sealed = other.seal(utf8: "x", for: Fixture.place())
        let error = Fixture.sealingError { _ = try sealer.open(sealed, for: Fixture.place()) }
        #expect(error?.code == .integrityError)
        #expect(error?.reason == .unknownKeyID)
        #expect(error?.details["key_id"] == "3")
    }

    @Test func valueFromAnotherKeyringWithTheSameIDFailsAuthentication() {
        let other = Sealer(keyring: Keyring.generate().rotated())
        let sealed = other.seal(utf8: "x", for: Fixture.place())
        let error = Fixture.sealingError { _ = try sealer.open(sealed, for: Fixture.place()) }
        #expect(error?.reason == .authenticationFailed)
    }

    static let otherPlaces: [(String, AdditionalData)] = [
        ("connection", Fixture.place(connection: Array(0x20...0x2f))),
        ("field", Fixture.place(field: "ACCESS_KEY")),
        ("workspace", Fixture.place(workspace: "staging")),
        ("catalog", Fixture.place(catalog: Array(0x30...0x3f))),
    ]

    @Test(arguments: otherPlaces)
    func valueSealedForOnePlaceDoesNotOpenForAnother(name: String, place: AdditionalData) {
        let sealed = sealer.seal(utf8: "secret", for: Fixture.place())
        let error = Fixture.sealingError { _ = try sealer.open(sealed, for: place) }
        #expect(error?.code == .integrityError, "other \(name)")
        #expect(error?.reason == .authenticationFailed, "other \(name)")
        #expect(throws: SealingError.self) { try sealer.withOpened(sealed, for: place) { _ in } }
    }

    @Test func additionalDataLengthPrefixesKeepFieldsApart() {
        let a = Fixture.place(workspace: "ab", field: "c")
        let b = Fixture.place(workspace: "a", field: "bc")
        #expect(a.encoded != b.encoded)
        #expect(a != b)
    }

    @Test func secretBytesCompareInConstantTimeAndNeverPrint() {
        let a = SecretBytes(copying: [1, 2, 3])
        #expect(a.isEqual(to: SecretBytes(copying: [1, 2, 3])))
        #expect(!a.isEqual(to: SecretBytes(copying: [1, 2, 4])))
        #expect(!a.isEqual(to: SecretBytes(copying: [1, 2])))
        #expect(a.description == "<redacted 3 bytes>")
        #expect(String(reflecting: a) == "<redacted 3 bytes>")
    }
}
