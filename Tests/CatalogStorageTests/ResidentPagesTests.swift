import CatalogStorage
import CatalogTestSupport
import Foundation
import Testing

@Suite struct ResidentPagesTests {
    /// A scan of the whole file makes its pages resident; releasing them drops them from the process's mapping of
    /// the file (its `Rss` in /proc/self/smaps) and every value still reads back the same.
    @Test func releasingDropsTheMapsPagesAndKeepsEveryValue() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        try environment.writeBlocking { tx in
            for index in 0..<20_000 {
                try tx.put(Array(repeating: UInt8(index % 251), count: 500), for: key("c/\(index)"), in: data)
            }
        }
        func sum() throws -> Int {
            try environment.read { tx in
                var total = 0
                try tx.scan(data, in: .all) { _, value in
                    total += Int(value[0]) + value.count
                    return true
                }
                return total
            }
        }
        let expected = try sum()
        let residentAfterScan = try mappedRSS(of: environment.path + "/data.mdb")
        #expect(residentAfterScan > 5_000, "the scan made the file's pages resident (\(residentAfterScan) KiB)")
        try environment.read { _ in environment.releaseResidentPages() }
        let residentAfterRelease = try mappedRSS(of: environment.path + "/data.mdb")
        #expect(residentAfterRelease < residentAfterScan / 10, "\(residentAfterRelease) KiB still resident")
        #expect(try sum() == expected)
    }

    /// The resident KiB of this process's mappings of `file`, from /proc/self/smaps.
    private func mappedRSS(of file: String) throws -> Int {
        // procfs reports a size of 0, so read to the end rather than by the file's size.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var inFile = false
        var total = 0
        for line in smaps.split(separator: "\n") {
            if let first = line.first, first.isHexDigit, line.contains("-") {
                inFile = line.hasSuffix(file)
            } else if inFile, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ")[1]) ?? 0
            }
        }
        return total
    }
}
