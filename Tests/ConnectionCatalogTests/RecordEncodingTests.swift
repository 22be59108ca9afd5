import ConnectionCatalog
import Testing

@Suite struct RecordEncodingTests {
    static func sample(unknownFields: [UnknownRecordField] = []) throws -> Connection {
        Connection(
            id: ConnectionID(bytes: Array(0..<16))!,
            name: try ConnectionName("Sales_FC"),
            workspace: try WorkspaceName("analytics"),
            type: .cloudFunction,
            properties: [
                .provider: "aliyun", .region: "cn-hangzhou", .roleARN: "acs:ram::1:role/r",
                .namespace: "default", .codeBucket: "code-bucket",
            ],
            sealedFields: [.externalID: Array(repeating: 0xAB, count: 57)],
            comment: "函数 connection",
            enabled: false,
            creator: "alice",
            createdAt: 1_746_956_211_548,
            modifiedAt: 1_746_956_299_001,
            version: 7,
            unknownFields: unknownFields)
    }

    @Test func roundTripsASample() throws {
        let connection = try Self.sample()
        let bytes = ConnectionRecord.encode(connection)
        #expect(bytes.first == ConnectionRecord.encodingVersion)
        #expect(try ConnectionRecord.decode(bytes) == connection)
    }

    @Test(arguments: [nil, "", "a comment"] as [String?])
    func roundTripsComments(comment: String?) throws {
        var connection = try Self.sample()
        connection.comment = comment
        #expect(try ConnectionRecord.decode(ConnectionRecord.encode(connection)).comment == comment)
    }

    @Test(arguments: [Int64.min, -1, 0, 1, Int64.max])
    func roundTripsExtremeTimesAndVersions(value: Int64) throws {
        var connection = try Self.sample()
        connection.createdAt = value
        connection.modifiedAt = value
        connection.version = UInt64(bitPattern: value)
        connection.properties = [:]
        connection.sealedFields = [:]
        #expect(try ConnectionRecord.decode(ConnectionRecord.encode(connection)) == connection)
    }

    @Test func encodingIsDeterministic() throws {
        let a = try Self.sample()
        var b = try Self.sample()
        b.properties = Dictionary(uniqueKeysWithValues: a.properties.reversed())
        #expect(ConnectionRecord.encode(a) == ConnectionRecord.encode(b))
    }

    @Test func keepsPropertyKeysItDoesNotKnow() throws {
        var connection = try Self.sample()
        connection.properties[PropertyKey(rawValue: "FUTURE_KEY")] = "v"
        #expect(try ConnectionRecord.decode(ConnectionRecord.encode(connection)) == connection)
    }

    /// A record from a newer program carries fields under tags this program does not know; a read, change
    /// and rewrite by this program must keep them byte for byte.
    @Test func unknownFieldsSurviveARewrite() throws {
        let future = [
            UnknownRecordField(tag: 40, bytes: [1, 2, 3]), UnknownRecordField(tag: 300, bytes: []),
            UnknownRecordField(tag: 13, bytes: Array("new field".utf8)),
        ]
        let written = ConnectionRecord.encode(try Self.sample(unknownFields: future))
        var read = try ConnectionRecord.decode(written)
        #expect(read.unknownFields == future)
        read.comment = "changed by an older program"
        read.version += 1
        let rewritten = try ConnectionRecord.decode(ConnectionRecord.encode(read))
        #expect(rewritten.unknownFields == future)
        #expect(rewritten.comment == "changed by an older program")
    }

    @Test func rejectsEveryTruncation() throws {
        let bytes = ConnectionRecord.encode(try Self.sample(unknownFields: [UnknownRecordField(tag: 99, bytes: [7])]))
        for cut in 0..<bytes.count {
            let error = try #require(throws: CatalogError.self, "cut at \(cut)") {
                try ConnectionRecord.decode(Array(bytes[..<cut]))
            }
            #expect(error.code == .integrityError, "cut at \(cut)")
        }
    }

    @Test func rejectsTrailingBytes() throws {
        let bytes = ConnectionRecord.encode(try Self.sample())
        let error = try #require(throws: CatalogError.self) { try ConnectionRecord.decode(bytes + [0]) }
        #expect(error.code == .integrityError)
    }

    @Test func rejectsEverySingleBitFlip() throws {
        let bytes = ConnectionRecord.encode(try Self.sample())
        for index in bytes.indices {
            for bit in 0..<8 {
                var garbled = bytes
                garbled[index] ^= 1 << bit
                let error = try #require(throws: CatalogError.self, "byte \(index) bit \(bit)") {
                    try ConnectionRecord.decode(garbled)
                }
                #expect([.integrityError, .catalogTooNew].contains(error.code), "byte \(index) bit \(bit)")
            }
        }
    }

    /// A text field that is not UTF-8 is refused even under a correct checksum (a writer bug, not a disk fault).
    @Test func rejectsTextThatIsNotUTF8() throws {
        var bytes = ConnectionRecord.encode(try Self.sample())
        let comment = Array("函数".utf8)
        let start = try #require(bytes.indices.first { Array(bytes[$0...].prefix(comment.count)) == comment })
        bytes[start + 2] = 0x20  // a lead byte followed by a space: invalid UTF-8, every byte still below 0xFF
        let crc = Self.bitwiseCRC32C(bytes.dropLast(4))
        for offset in 0..<4 { bytes[bytes.count - 4 + offset] = UInt8(truncatingIfNeeded: crc >> (8 * offset)) }
        let error = try #require(throws: CatalogError.self) { try ConnectionRecord.decode(bytes) }
        #expect(error.code == .integrityError)
        #expect(error.message.contains("not valid UTF-8"))
    }

    /// A type this program does not know (written by a newer one) is refused as too new, not as damage.
    @Test func refusesATypeFromANewerProgram() throws {
        var bytes = ConnectionRecord.encode(try Self.sample())
        let stored = Array(ConnectionType.cloudFunction.rawValue.utf8)
        let start = try #require(bytes.indices.first { Array(bytes[$0...].prefix(stored.count)) == stored })
        bytes.replaceSubrange(start..<start + stored.count, with: Array("CLOUD_QUEUES__".utf8))
        let crc = Self.bitwiseCRC32C(bytes.dropLast(4))
        for offset in 0..<4 { bytes[bytes.count - 4 + offset] = UInt8(truncatingIfNeeded: crc >> (8 * offset)) }
        let error = try #require(throws: CatalogError.self) { try ConnectionRecord.decode(bytes) }
        #expect(error.code == .catalogTooNew)
        #expect(error.message.contains("'CLOUD_QUEUES__'") && error.message.contains("upgrade"))
    }

    /// The checksum ends every record, whatever its length (the fast path reads 8 bytes at a time).
    @Test func checksumIsCRC32COfEverythingBeforeIt() throws {
        var connection = try Self.sample()
        for length in 0..<40 {
            connection.comment = String(repeating: "c", count: length)
            let bytes = ConnectionRecord.encode(connection)
            let stored = bytes.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(stored == Self.bitwiseCRC32C(bytes.dropLast(4)), "comment of \(length)")
        }
        #expect(Self.bitwiseCRC32C(Array("123456789".utf8)[...]) == 0xE306_9283, "the published check value")
    }

    /// CRC-32C one bit at a time, as its definition reads.
    static func bitwiseCRC32C(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test func refusesANewerEncodingVersion() throws {
        var bytes = ConnectionRecord.encode(try Self.sample())
        bytes[0] = ConnectionRecord.encodingVersion + 1
        let error = try #require(throws: CatalogError.self) { try ConnectionRecord.decode(bytes) }
        #expect(error.code == .catalogTooNew)
        #expect(error.message.contains("upgrade"))
    }

    @Test func rejectsEmptyInputAndVersionZero() throws {
        #expect(throws: CatalogError.self) { try ConnectionRecord.decode([]) }
        var bytes = ConnectionRecord.encode(try Self.sample())
        bytes[0] = 0
        let error = try #require(throws: CatalogError.self) { try ConnectionRecord.decode(bytes) }
        #expect(error.code == .integrityError)
    }

    /// Pins the format of `docs/format.md` byte by byte: a change here is a change of the on-disk format.
    @Test func matchesTheDocumentedExample() throws {
        let connection = Connection(
            id: ConnectionID(bytes: Array(0..<16))!, name: try ConnectionName("s3_logs"), type: .s3,
            properties: [.region: "us-east-1"], sealedFields: [.externalID: [0xEE, 0xFF]], comment: nil,
            enabled: true, creator: "bob", createdAt: 1000, modifiedAt: 1000, version: 1)
        let hex = ConnectionRecord.encode(connection).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == Self.documentedExample)
        #expect(try ConnectionRecord.decode(ConnectionRecord.encode(connection)) == connection)
    }

    static let documentedExample =
        "015d000000" + "0110000102030405060708090a0b0c0d0e0f" + "020764656661756c74" + "030773335f6c6f6773" + "04025333"
        + "051006524547494f4e75732d656173742d31" + "060e0b45585445524e414c5f4944eeff" + "080101" + "0903626f62"
        + "0a02d00f" + "0b02d00f" + "0c0101" + "a2c98879"
}

@Suite struct CatalogKeysTests {
    @Test func nameKeyIsWorkspaceZeroName() throws {
        let key = CatalogKeys.nameKey(workspace: try WorkspaceName("WS"), name: try ConnectionName("Conn"))
        #expect(key == Array("ws".utf8) + [0] + Array("conn".utf8))
        let (workspace, name) = try CatalogKeys.names(fromNameKey: key)
        #expect(workspace.rawValue == "ws")
        #expect(name.rawValue == "conn")
    }

    @Test func longestNameKeyFitsLMDB() throws {
        let longest = String(repeating: "x", count: 255)
        let key = CatalogKeys.nameKey(workspace: try WorkspaceName(longest), name: try ConnectionName(longest))
        #expect(key.count == 511)
    }

    @Test func prefixMatchesWithoutCase() throws {
        let workspace = WorkspaceName.default
        let prefix = CatalogKeys.namePrefix(workspace: workspace, startingWith: "SAL")
        let key = CatalogKeys.nameKey(workspace: workspace, name: try ConnectionName("sales"))
        #expect(key.starts(with: prefix))
        #expect(
            !CatalogKeys.nameKey(workspace: try WorkspaceName("default2"), name: try ConnectionName("sales"))
                .starts(with: CatalogKeys.namePrefix(workspace: workspace)))
    }

    @Test func recordKeyIsTheID() throws {
        let id = ConnectionID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
        #expect(CatalogKeys.recordKey(for: id) == Array(1...16))
        #expect(try CatalogKeys.id(fromRecordKey: Array(1...16)) == id)
        #expect(throws: CatalogError.self) { try CatalogKeys.id(fromRecordKey: [1, 2]) }
    }

    @Test(arguments: [[UInt8](), Array("nozero".utf8), Array("ws".utf8) + [0] + Array("bad-name".utf8)])
    func rejectsDamagedNameKeys(key: [UInt8]) throws {
        let error = try #require(throws: CatalogError.self) { try CatalogKeys.names(fromNameKey: key) }
        #expect(error.code == .integrityError)
    }
}
