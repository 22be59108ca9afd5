import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@Suite struct SecretsAtRestTests {
    @Test func noPlaintextSecretOrExternalIDInTheFileOrItsDump() throws {
        let test = TestCatalog()
        let planted = [PlantedSecret(), PlantedSecret(), PlantedSecret()]
        var externalIDs: [String] = []
        do {
            let catalog = try test.open()
            try catalog.writeBlocking { writer in
                try writer.create(s3Storage("s3_planted", secret: planted[0].value))
                try writer.create(
                    ConnectionDraft(
                        name: name("oss_planted"), type: .oss,
                        properties: [
                            ("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"), ("ACCESS_ID", "LTAIexample"),
                            ("ACCESS_KEY", planted[1].value),
                        ]))
                try writer.create(
                    ConnectionDraft(
                        name: name("cos_planted"), type: .cos,
                        properties: [
                            ("REGION", "ap-guangzhou"), ("APP_ID", "1250000000"), ("ACCESS_KEY", "AKIDexample"),
                            ("SECRET_KEY", planted[2].value),
                        ]))
                // A secret changed by ALTER leaves its old value in history: sealed too.
                try writer.alter(name("s3_planted"), .set([("SECRET_ACCESS_KEY", planted[0].value + "x")]))
                try writer.rotateExternalID(of: name("oss_planted"))
            }
            try catalog.read { reader in
                for connection in try reader.connections() {
                    externalIDs.append(try reader.externalID(of: connection)!)
                    for old in try reader.history(of: connection.id) {
                        externalIDs.append(try reader.externalID(of: old)!)
                    }
                }
            }
        }
        #expect(externalIDs.count == 5)
        // External IDs are random, not planted: scan for them as literal strings too.
        let scanner = SecretScanner(secrets: planted)
        #expect(try scanner.findings(inFileAt: "\(test.path)/data.mdb").isEmpty)
        let data = try #require(fileBytes("\(test.path)/data.mdb"))
        for externalID in externalIDs {
            #expect(!contains(data, Array(externalID.utf8)), "an external ID is in data.mdb in plain text")
        }
        for database in ["meta", "connections", "names", "history"] {
            let dump = try mdbDump(test.path, database)
            #expect(dump.contains("HEADER=END"), "mdb_dump of \(database) printed: \(dump.prefix(200))")
            #expect(scanner.findings(in: dump).isEmpty, "a planted secret is in the dump of \(database)")
            for externalID in externalIDs { #expect(!dump.contains(externalID)) }
        }
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<start + needle.count]) == needle { return true }
        }
        return false
    }

    /// `mdb_dump -p` (printable) of one database, from lmdb-utils.
    private func mdbDump(_ path: String, _ database: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mdb_dump")
        process.arguments = ["-p", "-s", database, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: bytes, as: UTF8.self)
    }
}
