import CatalogSealing
import CatalogStorage
import CatalogTestSupport
import Testing

@testable import ConnectionCatalog

/// From schema 4 a name index entry carries what SHOW lists of its connection (docs/format.md, "The name index"),
/// kept equal to the record by every write, checked whole when read, compared with the record by `catalog check`,
/// and added to every entry by the migration; an entry of the id alone is still read.
@Suite struct NameIndexListingTests {
    static let listing = NameIndexEntry.Listing(type: .s3, enabled: false, createdAt: 1_746_956_299_001)

    @Test func anEntryIsTheDocumentedBytes() throws {
        let id = ConnectionID(bytes: Array(0..<16))!
        let bytes = NameIndexEntry.value(id: id, Self.listing)
        let time = UInt64(Self.listing.createdAt)
        let body: [UInt8] =
            Array(0..<16) + [1, 0] + (0..<8).map { UInt8(truncatingIfNeeded: time >> (56 - 8 * $0)) }
            + Array("S3".utf8)
        let checksum = CRC32C.checksum(body)
        #expect(bytes == body + (0..<4).map { UInt8(truncatingIfNeeded: checksum >> (8 * $0)) })
        #expect(bytes.count == 32)
        #expect(try Self.listing(of: bytes) == Self.listing)
        let key = try bytes.withUnsafeBytes { value in Array(try NameIndexEntry.recordKey(of: value)) }
        #expect(key == id.bytes)
        // An entry of the id alone has no listing; one written for an older schema is that.
        let legacy = NameIndexEntry.value(for: try RecordEncodingTests.sample(), schemaVersion: 3)
        #expect(legacy == Array(0..<16))
        #expect(try Self.listing(of: legacy) == nil)
    }

    static func listing(of bytes: [UInt8]) throws -> NameIndexEntry.Listing? {
        try bytes.withUnsafeBytes { value in try NameIndexEntry.listing(of: value) }
    }

    @Test func everyDamagedEntryIsRefused() throws {
        let entry = NameIndexEntry.value(id: ConnectionID(bytes: Array(0..<16))!, Self.listing)
        func code(_ bytes: [UInt8]) -> CatalogError.Code? {
            do {
                _ = try Self.listing(of: bytes)
                return nil
            } catch let error as CatalogError {
                return error.code
            } catch {
                return nil
            }
        }
        for index in entry.indices {
            for bit in 0..<8 {
                var flipped = entry
                flipped[index] ^= 1 << bit
                #expect(code(flipped) == .integrityError, "bit \(bit) of byte \(index)")
            }
        }
        for length in 0..<entry.count where length != 16 {
            #expect(code(Array(entry.prefix(length))) == .integrityError, "\(length) bytes")
        }
        #expect(code(entry + [0]) == .integrityError)
        // A listing version or a type from a newer program, with a good checksum: upgrade the program.
        func resealed(_ body: [UInt8]) -> [UInt8] {
            let checksum = CRC32C.checksum(body)
            return body + (0..<4).map { UInt8(truncatingIfNeeded: checksum >> (8 * $0)) }
        }
        var newer = Array(entry.dropLast(4))
        newer[16] = 2
        #expect(code(resealed(newer)) == .catalogTooNew)
        #expect(code(resealed(Array(entry.prefix(26)) + Array("GCS".utf8))) == .catalogTooNew)
        var version0 = Array(entry.dropLast(4))
        version0[16] = 0
        #expect(code(resealed(version0)) == .integrityError)
        var enabled2 = Array(entry.dropLast(4))
        enabled2[17] = 2
        #expect(code(resealed(enabled2)) == .integrityError)
    }

    /// The listings `forEachListing` lends in `workspace`, by name.
    static func listings(_ catalog: Catalog) throws -> [String: NameIndexEntry.Listing] {
        try catalog.read { reader in
            var found: [String: NameIndexEntry.Listing] = [:]
            try reader.forEachListing { view in
                found[String(decoding: view.name, as: UTF8.self)] = .init(
                    type: view.type, enabled: view.enabled, createdAt: view.createdAt)
            }
            return found
        }
    }

    /// What the records say each connection should be listed as, by name.
    static func fromRecords(_ catalog: Catalog) throws -> [String: NameIndexEntry.Listing] {
        let summaries = try catalog.read { reader in try reader.summaries() }
        return Dictionary(
            uniqueKeysWithValues: summaries.map {
                ($0.name.rawValue, .init(type: $0.type, enabled: $0.enabled, createdAt: $0.createdAt))
            })
    }

    /// The length of every value in the name index.
    static func entryLengths(_ catalog: Catalog) throws -> [Int] {
        var lengths: [Int] = []
        try catalog.readStorage { tx in
            try tx.scan(catalog.databases.names, in: .all) { _, value in
                lengths.append(value.count)
                return true
            }
        }
        return lengths
    }

    @Test func everyWriteKeepsTheListingEqualToTheRecord() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try catalog.writeBlocking { writer in
            for index in 0..<6 {
                try writer.create(
                    index % 2 == 0 ? awsFunction("f_\(index)") : s3Storage("s_\(index)", secret: "secret-\(index)"))
            }
        }
        #expect(try Self.listings(catalog) == (try Self.fromRecords(catalog)))
        try catalog.writeBlocking { writer in
            try writer.alter(name("f_0"), .disable)
            try writer.alter(name("s_1"), .disable)
            try writer.alter(name("s_1"), .enable)
            try writer.alter(name("f_2"), .comment("kept"))
            try writer.rename(name("s_3"), to: name("s_renamed"))
            try writer.rotateExternalID(of: name("f_4"))
            try writer.drop(name("s_5"))
            try writer.alter(name("s_renamed"), .disable)
        }
        let listed = try Self.listings(catalog)
        #expect(listed == (try Self.fromRecords(catalog)))
        #expect(listed.keys.sorted() == ["f_0", "f_2", "f_4", "s_1", "s_renamed"])
        #expect(listed["f_0"]?.enabled == false && listed["s_1"]?.enabled == true)
        #expect(listed["s_renamed"]?.enabled == false && listed["s_renamed"]?.type == .s3)
        #expect(try Self.entryLengths(catalog).allSatisfy { $0 > 16 })
        // An open transaction lists its own pending changes.
        let transaction = catalog.beginTransaction()
        try transaction.step { writer in try writer.alter(name("f_2"), .disable) }
        let pending = try transaction.step { writer in
            var enabled: [String: Bool] = [:]
            try writer.forEachListing { enabled[String(decoding: $0.name, as: UTF8.self)] = $0.enabled }
            return enabled
        }
        #expect(pending["f_2"] == false)
        #expect(try Self.listings(catalog)["f_2"]?.enabled == true, "not committed")
        #expect(try catalog.checkRecords().problems.isEmpty)
    }

    @Test func aSchemaThreeFixtureGainsItsListingsAndACatalogKeptAtThreeListsFromRecords() throws {
        let directory = TemporaryDirectory()
        let kept = directory.appending("kept")
        let migrated = directory.appending("migrated")
        try copyFixture("schema-v3", to: kept)
        try copyFixture("schema-v3", to: migrated)

        var options = Catalog.Options()
        options.schemaVersion = 3
        let old = try Catalog.open(at: kept, keySource: .keyFile(path: "\(kept)/master.key"), options: options)
        #expect(old.schemaVersion == 3)
        try old.writeBlocking { writer in try writer.alter(name("oss_logs"), .disable) }
        #expect(try Self.entryLengths(old).allSatisfy { $0 == 16 }, "a schema 3 catalog keeps entries of the id alone")
        let oldListings = try Self.listings(old)
        #expect(oldListings == (try Self.fromRecords(old)))
        #expect(oldListings["s3_lake"]?.enabled == false && oldListings["oss_logs"]?.enabled == false)
        #expect(try old.checkRecords().problems.isEmpty)

        let catalog = try Catalog.open(at: migrated, keySource: .keyFile(path: "\(migrated)/master.key"))
        #expect(catalog.schemaVersion == 4)
        #expect(try Self.entryLengths(catalog).count == 5)
        #expect(try Self.entryLengths(catalog).allSatisfy { $0 > 16 }, "the migration gave every entry its listing")
        let listings = try Self.listings(catalog)
        #expect(listings == (try Self.fromRecords(catalog)))
        #expect(listings["s3_lake"]?.enabled == false && listings["fc_hangzhou"]?.enabled == true)
        #expect(try catalog.checkRecords().problems.isEmpty)
    }

    @Test func anEntryOfTheIdAloneIsListedFromItsRecordAndGainsItsListingWhenItsConnectionIsWritten() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try catalog.writeBlocking { writer in
            try writer.create(awsFunction("plain"))
            try writer.create(s3Storage("keyed", secret: "secret-1"))
        }
        // As a store migrated to schema 4 in place leaves them: entries of the id alone.
        let environment = try Environment.open(at: home.path)
        let names = try environment.database("names")
        for text in ["plain", "keyed"] {
            let connection = try #require(try catalog.read { reader in try reader.connection(named: name(text)) })
            try environment.writeBlocking { tx in
                try tx.put(
                    connection.id.bytes,
                    for: try RecordKey(CatalogKeys.nameKey(workspace: .default, name: connection.name)), in: names)
            }
        }
        #expect(try Self.entryLengths(catalog) == [16, 16])
        #expect(try Self.listings(catalog) == (try Self.fromRecords(catalog)))
        #expect(try catalog.checkRecords().problems.isEmpty, "the detailed pass compares what the fast one cannot")
        try catalog.writeBlocking { writer in try writer.alter(name("keyed"), .comment("written again")) }
        #expect(try Self.entryLengths(catalog).sorted() == [16, 32])
        try catalog.writeBlocking { writer in try writer.rotateExternalID(of: name("plain")) }
        #expect(try Self.entryLengths(catalog).allSatisfy { $0 > 16 })
        #expect(try Self.listings(catalog) == (try Self.fromRecords(catalog)))
    }

    @Test func checkNamesAListingUnlikeItsRecordAndAListingRefusesADamagedEntry() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try catalog.writeBlocking { writer in
            try writer.create(awsFunction("stale"))
            try writer.create(awsFunction("fine"))
            try writer.create(s3Storage("torn", secret: "secret-1"))
        }
        let stale = try #require(try catalog.read { reader in try reader.connection(named: name("stale")) })
        let victim = try #require(try catalog.read { reader in try reader.connection(named: name("torn")) })
        // Reach under the catalog: the same environment, written directly.
        let environment = try Environment.open(at: home.path)
        let names = try environment.database("names")
        let wrong = NameIndexEntry.Listing(type: stale.type, enabled: false, createdAt: stale.createdAt)
        try environment.writeBlocking { tx in
            try tx.put(
                NameIndexEntry.value(id: stale.id, wrong),
                for: try RecordKey(CatalogKeys.nameKey(workspace: .default, name: stale.name)), in: names)
        }
        let problems = try catalog.checkRecords().problems
        #expect(problems.count == 1)
        #expect(problems.first?.connection == "default.stale")
        #expect(problems.first?.message.contains("lists this connection") == true)

        var torn = NameIndexEntry.value(for: victim, schemaVersion: 4)
        torn[torn.count - 1] ^= 0x01
        try environment.writeBlocking { tx in
            try tx.put(torn, for: try RecordKey(CatalogKeys.nameKey(workspace: .default, name: victim.name)), in: names)
        }
        let error = try #require(throws: CatalogError.self) { try Self.listings(catalog) }
        #expect(error.code == .integrityError)
        #expect(error.message.contains("name index entry is damaged"))
        #expect(try catalog.checkRecords().problems.contains { $0.message.contains("name index entry is damaged") })
    }
}
