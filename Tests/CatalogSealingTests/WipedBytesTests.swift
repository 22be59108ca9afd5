import CatalogSealing
import Testing

@Suite struct WipedBytesTests {
    @Test func holdsTheUTF8BytesAndNeverPrintsThem() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-é"
        let wiped = WipedBytes(utf8: secret)
        #expect(wiped.count == secret.utf8.count)
        #expect(wiped.withBytes { Array($0) } == Array(secret.utf8))
        #expect("\(wiped)" == "<redacted \(secret.utf8.count) bytes>")
        #expect(!String(reflecting: wiped).contains("EXAMPLE"))
        let empty = WipedBytes(utf8: "")
        #expect(empty.count == 0 && empty.withBytes { $0.count } == 0)
    }
}
