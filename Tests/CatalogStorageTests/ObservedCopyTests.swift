import CatalogStorage
import CatalogTestSupport
import Foundation
import Testing

@Suite struct ObservedCopyTests {
    /// The observer hears exactly the bytes of the file written, in order; the copy opens and holds what was
    /// written, while a writer keeps committing.
    @Test func theObserverHearsEveryByteOfTheFile() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        try environment.writeBlocking { tx in
            // Enough pages that the copy spans several pipe reads.
            for index in 0..<20_000 {
                try tx.put(Array(repeating: UInt8(index % 251), count: 200), for: key("c/\(index)"), in: data)
            }
        }
        let stop = StopFlag()
        let writer = Thread_(name: "writer") {
            var round = 0
            while !stop.isRaised {
                round += 1
                try environment.writeBlocking { tx in try tx.put(bytes(UInt64(round)), for: key("round"), in: data) }
            }
        }
        let destination = directory.appending("observed.mdb")
        var seen: [UInt8] = []
        let result = try environment.copy(to: destination) { seen.append(contentsOf: $0) }
        stop.raise()
        try writer.join()
        let file = try #require(FileManager.default.contents(atPath: destination))
        #expect(result.compacted)
        #expect(result.bytes == file.count)
        #expect(seen == Array(file))
        #expect(try fileMode(destination) == 0o600)
        var options = Environment.Options(databases: ["data"])
        options.layout = .singleFile
        options.readOnly = true
        options.withoutLocking = true
        let copied = try Environment.open(at: destination, options: options)
        let copiedData = try copied.database("data")
        #expect(try copied.read { tx in try tx.count(of: copiedData) } >= 20_000)
    }
}
