import CatalogStorage
import CatalogTestSupport
import Testing

@Suite struct HotCopyTests {
    @Test func copyTakenWhileWritingHoldsOneSnapshotAndIsOwnerOnly() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        try environment.writeBlocking { tx in
            for index in 0..<2000 { try tx.put(bytes(0), for: key("c/\(index)"), in: data) }
            try tx.put(bytes(0), for: key("generation"), in: data)
        }
        let stop = StopFlag()
        // Each transaction bumps every counter and the generation, so a consistent snapshot has them all equal.
        let writer = Thread_(name: "writer") {
            while !stop.isRaised {
                try environment.writeBlocking { tx in
                    let generation = number(try tx.get(key("generation"), in: data))! + 1
                    for index in 0..<2000 { try tx.put(bytes(generation), for: key("c/\(index)"), in: data) }
                    try tx.put(bytes(generation), for: key("generation"), in: data)
                }
            }
        }
        // Copy only once the writer is busy, so every copy races real commits.
        while try environment.read({ tx in number(try tx.get(key("generation"), in: data))! }) < 3 {}
        var copies: [String] = []
        for attempt in 0..<3 {
            let destination = directory.appending("copy-\(attempt).mdb")
            let result = try environment.copy(to: destination, compact: attempt != 2)
            #expect(result.compacted == (attempt != 2))
            copies.append(destination)
        }
        stop.raise()
        try writer.join()
        for copy in copies {
            #expect(try fileMode(copy) == 0o600)
            var options = Environment.Options(databases: ["data"])
            options.layout = .singleFile
            options.readOnly = true
            options.withoutLocking = true
            let copied = try Environment.open(at: copy, options: options)
            let copiedData = try copied.database("data")
            try copied.read { tx in
                let generation = number(try tx.get(key("generation"), in: copiedData))
                var mismatched = 0
                try tx.scan(copiedData, in: .prefix(Array("c/".utf8))) { _, value in
                    if number(Array(value)) != generation { mismatched += 1 }
                    return true
                }
                #expect(try tx.count(of: copiedData) == 2001)
                #expect(mismatched == 0, "\(copy) mixes transactions")
                #expect((generation ?? 0) >= 3)
            }
        }
    }
}
