import Testing

@testable import ConnectionCatalog

/// A change-log entry is written byte for byte as docs/format.md lays it out ("The change log"), and reads back.
@Suite struct ChangeEntryLayoutTests {
    @Test(arguments: [nil, "old_name"] as [String?])
    func anEntryIsTheDocumentedBytes(previous: String?) throws {
        let connection = try RecordEncodingTests.sample()
        let previousName = try previous.map { try ConnectionName($0) }
        let time: Int64 = 1_746_956_299_001
        let bytes = ChangeEntry.encode(.rename, of: connection, previousName: previousName, at: time)
        func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
        let previousBytes = Array((previous ?? "").utf8)
        let expected: [UInt8] =
            [1, 3] + Array(0..<16) + bigEndian(7) + bigEndian(UInt64(time)) + [9] + Array("analytics".utf8) + [8]
            + Array("sales_fc".utf8) + [UInt8(previousBytes.count)] + previousBytes
        #expect(bytes == expected)
        let change = try ChangeEntry.decode(bytes, revision: 42)
        #expect(change.kind == .rename && change.revision == 42 && change.name.rawValue == "sales_fc")
        #expect(change.previousName?.rawValue == previous)
    }

    @Test func everyKindHasItsOwnCodeAndReadsBack() throws {
        let connection = try RecordEncodingTests.sample()
        let codes = CatalogChange.Kind.allCases.map(ChangeEntry.code(of:))
        #expect(codes == [1, 2, 3, 4, 5, 6, 7])
        for kind in CatalogChange.Kind.allCases {
            let bytes = ChangeEntry.encode(kind, of: connection, previousName: nil, at: 0)
            #expect(try ChangeEntry.decode(bytes, revision: 1).kind == kind)
        }
    }
}
