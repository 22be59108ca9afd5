import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@Suite struct KeyRotationTests {
    /// 5,000 connections take several of the chunks rotation works in (current records and history alike).
    @Test(arguments: [20, 5_000]) func rotateDataKeyReSealsEverythingWithTheNewKey(count: Int) throws {
        let test = TestCatalog()
        let catalog = try test.open()
        var secrets: [String: String] = [:]
        try catalog.writeBlocking { writer in
            for index in 0..<count {
                let secret = "secret-value-\(index)-abcdefghij"
                secrets["s3_\(index)"] = secret
                try writer.create(s3Storage("s3_\(index)", secret: secret))
                try writer.alter(name("s3_\(index)"), .comment("v2"))
            }
        }
        let externalIDs = try catalog.read { reader in
            try Dictionary(
                uniqueKeysWithValues: reader.connections().map { ($0.name.rawValue, try reader.externalID(of: $0)!) })
        }
        var progress: [(Int, Int)] = []
        let newKey = try catalog.rotateDataKey { progress.append(($0, $1)) }
        #expect(progress.last.map { $0.0 == $0.1 } ?? false)
        #expect(progress.last?.1 == 2 * count)  // the current records and as many history versions
        try catalog.read { reader in
            for connection in try reader.connections() {
                for (field, envelope) in connection.sealedFields {
                    #expect(try SealedValue(bytes: envelope).keyID == newKey, "\(connection.name).\(field)")
                }
                #expect(try reader.externalID(of: connection) == externalIDs[connection.name.rawValue])
                let secret = try reader.withSecret(.secretAccessKey, of: connection) {
                    String(decoding: $0, as: UTF8.self)
                }
                #expect(secret == secrets[connection.name.rawValue])
                for old in try reader.history(of: connection.id) {
                    for envelope in old.sealedFields.values {
                        #expect(try SealedValue(bytes: envelope).keyID == newKey)
                    }
                }
            }
        }
        // A reopened handle reads the rotated keyring from disk.
        let stats = try catalog.stats()
        #expect(stats.dataKeys.count == 2)
    }

    @Test func rekeyMovesTheCatalogToTheNewMasterKey() throws {
        let test = TestCatalog()
        let path = test.path
        let newKeyFile = test.directory.appending("new.key")
        let newKey = try MasterKeySource.keyFile(path: newKeyFile).resolve()
        do {
            let catalog = try test.open()
            try catalog.writeBlocking { writer in try writer.create(s3Storage("s3", secret: "the-secret-value-00001")) }
            try catalog.rekey(to: newKey)
            // The same handle keeps working under the new key.
            let secret = try catalog.read { reader in
                try reader.withSecret(.secretAccessKey, of: try reader.connection(named: name("s3"))!) {
                    String(decoding: $0, as: UTF8.self)
                }
            }
            #expect(secret == "the-secret-value-00001")
        }
        let error = try #require(throws: CatalogError.self) {
            try Catalog.open(at: path, keySource: .keyFile(path: test.keyFile))
        }
        #expect(error.code == .wrongKey)
        let reopened = try Catalog.open(at: path, keySource: .keyFile(path: newKeyFile))
        let secret = try reopened.read { reader in
            try reader.withSecret(.secretAccessKey, of: try reader.connection(named: name("s3"))!) {
                String(decoding: $0, as: UTF8.self)
            }
        }
        #expect(secret == "the-secret-value-00001")
    }

    @Test func passphraseCatalogReopensWithTheSamePassphraseOnly() throws {
        let test = TestCatalog()
        var options = Catalog.Options()
        options.passphraseParameters = .minimumForTests
        do {
            let catalog = try Catalog.open(
                at: test.path, keySource: .passphrase(SecretBytes(utf8: "correct horse")), options: options)
            try catalog.writeBlocking { writer in try writer.create(awsFunction("fn")) }
        }
        let reopened = try Catalog.open(at: test.path, keySource: .passphrase(SecretBytes(utf8: "correct horse")))
        #expect(try reopened.read { reader in try reader.count() } == 1)
        let error = try #require(throws: CatalogError.self) {
            try Catalog.open(at: test.path, keySource: .passphrase(SecretBytes(utf8: "wrong horse")))
        }
        #expect(error.code == .wrongKey)
    }
}
