import CatalogSealing
import Testing

@Suite struct WipedBytesCopyingTests {
    @Test func copiesBytesThatWereNeverAString() {
        let bytes: [UInt8] = [0x41, 0x00, 0xFF, 0x27, 0x42]
        let wiped = bytes.withUnsafeBytes { WipedBytes(copying: $0) }
        #expect(wiped.count == bytes.count)
        #expect(wiped.withBytes { Array($0) } == bytes)
        #expect("\(wiped)" == "<redacted 5 bytes>")
        let empty = WipedBytes(copying: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(empty.count == 0 && empty.withBytes { $0.count } == 0)
    }
}
