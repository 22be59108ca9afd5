import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@testable import CatalogBackup

@Suite struct VerifyTests {
    /// One small backup, and a scratch directory of its own so that any LMDB open of this test is visible.
    struct Fixture {
        let home = TestCatalog()
        let backup: String
        let scratch: String
        let master: MasterKey

        init() throws {
            let catalog = try home.open()
            try fill(catalog, count: 40)
            backup = home.directory.appending("backup")
            try Backup.create(from: catalog, at: backup)
            scratch = home.directory.appending("scratch")
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
            master = try home.master()
        }

        /// Verifies and returns the error; records that LMDB opened nothing under the scratch directory.
        func failure(sourceLocation: SourceLocation = #_sourceLocation) -> CatalogError? {
            do {
                _ = try Backup.verify(backup, master: master, scratchDirectory: scratch)
                Issue.record("verify accepted a damaged backup", sourceLocation: sourceLocation)
                return nil
            } catch {
                return error
            }
        }

        var lmdbOpenedSomethingHere: Bool { StorageOpenLog.opened.contains { $0.hasPrefix(scratch) } }
    }

    /// Flips bits in place and puts the byte back afterwards.
    static func flip(_ path: String, at offset: Int, mask: UInt8, _ body: () -> Void) {
        let fd = open(path, O_RDWR)
        precondition(fd >= 0)
        defer { close(fd) }
        var byte: UInt8 = 0
        _ = pread(fd, &byte, 1, off_t(offset))
        var flipped = byte ^ mask
        _ = pwrite(fd, &flipped, 1, off_t(offset))
        body()
        _ = pwrite(fd, &byte, 1, off_t(offset))
    }

    @Test func aGoodBackupVerifiesAndOnlyItsAuthenticatedCopyIsOpened() throws {
        let fixture = try Fixture()
        let report = try Backup.verify(fixture.backup, master: fixture.master, scratchDirectory: fixture.scratch)
        #expect(report.isHealthy)
        #expect(report.recordsChecked == report.manifest.records.connections + report.manifest.records.history)
        let opened = StorageOpenLog.opened.filter { $0.hasPrefix(fixture.scratch) }
        #expect(opened.count == 1)
        #expect(
            !StorageOpenLog.opened.contains { $0.hasPrefix(fixture.backup + "/") }, "LMDB never opens the backup itself"
        )
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.scratch).isEmpty, "the scratch copy is removed")
    }

    @Test func everyFlippedByteOfTheDataFileIsCaughtBeforeLMDBOpensIt() throws {
        let fixture = try Fixture()
        let data = "\(fixture.backup)/data.mdb"
        let size = fileBytes(data).count
        var generator = SystemRandomNumberGenerator()
        let positions = (0..<1_000).map {
            $0 * size / 1_000 + Int.random(in: 0..<max(1, size / 1_000), using: &generator)
        }
        for position in positions {
            let mask = UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            Self.flip(data, at: position, mask: mask) {
                let error = fixture.failure()
                #expect(error?.code == .integrityError, "offset \(position)")
                #expect(error?.details["stage"] == "checksum", "offset \(position)")
            }
        }
        #expect(!fixture.lmdbOpenedSomethingHere)
        #expect(try Backup.verify(fixture.backup, master: fixture.master, scratchDirectory: fixture.scratch).isHealthy)
    }

    @Test func everyFlippedByteOfTheManifestIsCaughtBeforeLMDBOpensIt() throws {
        let fixture = try Fixture()
        let manifest = "\(fixture.backup)/manifest.json"
        let size = fileBytes(manifest).count
        let keyCheckRange = try #require(
            String(decoding: fileBytes(manifest), as: UTF8.self).range(of: "\"key_check\": \""))
        let keyCheckStart = String(decoding: fileBytes(manifest), as: UTF8.self).utf8.distance(
            from: String(decoding: fileBytes(manifest), as: UTF8.self).startIndex, to: keyCheckRange.upperBound)
        let text = fileBytes(manifest)
        var flips = 0
        var undetected: [String] = []
        for position in 0..<size {
            for mask: UInt8 in [0x01, 0x20, 0x80] {
                flips += 1
                Self.flip(manifest, at: position, mask: mask) {
                    guard let error = fixture.failure() else {
                        undetected.append("offset \(position) '\(Character(Unicode.Scalar(text[position])))' ^ \(mask)")
                        return
                    }
                    #expect(["manifest", "checksum"].contains(error.details["stage"]), "offset \(position): \(error)")
                    // A damaged key check reads as another master key; a damaged version as a newer format.
                    let inKeyCheck = (keyCheckStart..<(keyCheckStart + 64)).contains(position)
                    #expect(
                        error.code == .integrityError || (inKeyCheck && error.code == .wrongKey)
                            || error.code == .catalogTooNew, "offset \(position): \(error)")
                    #expect(!error.message.isEmpty)
                }
            }
        }
        #expect(flips >= 1_000)
        #expect(undetected.isEmpty, "flips verify did not catch: \(undetected)")
        #expect(!fixture.lmdbOpenedSomethingHere)
    }

    @Test func aTruncatedDataFileOrManifestIsCaught() throws {
        let fixture = try Fixture()
        let data = "\(fixture.backup)/data.mdb"
        let original = fileBytes(data)
        truncate(data, off_t(original.count / 2))
        let error = try #require(fixture.failure())
        #expect(error.code == .integrityError)
        #expect(error.details["stage"] == "checksum")
        #expect(error.message.contains("truncated"))
        _ = FileManager.default.createFile(atPath: data, contents: Data(original))
        let manifest = "\(fixture.backup)/manifest.json"
        let manifestBytes = fileBytes(manifest)
        for length in [0, 1, manifestBytes.count / 2, manifestBytes.count - 1] {
            truncate(manifest, off_t(length))
            let error = try #require(fixture.failure())
            #expect(error.code == .integrityError, "manifest cut to \(length)")
            #expect(error.details["stage"] == "manifest")
            _ = FileManager.default.createFile(atPath: manifest, contents: Data(manifestBytes))
        }
        #expect(!fixture.lmdbOpenedSomethingHere)
    }

    /// Two backups of the same catalog, taken before and after a change: each one's manifest fails the other's data.
    @Test func aManifestFromAnotherBackupIsCaught() throws {
        let fixture = try Fixture()
        let catalog = try fixture.home.open()
        try catalog.writeBlocking { writer in try writer.alter(name("c_1"), .comment("changed")) }
        let later = fixture.home.directory.appending("later")
        try Backup.create(from: catalog, at: later)
        let first = fileBytes("\(fixture.backup)/manifest.json")
        let second = fileBytes("\(later)/manifest.json")
        _ = FileManager.default.createFile(atPath: "\(fixture.backup)/manifest.json", contents: Data(second))
        _ = FileManager.default.createFile(atPath: "\(later)/manifest.json", contents: Data(first))
        for backup in [fixture.backup, later] {
            let error = try #require(throws: CatalogError.self) {
                try Backup.verify(backup, master: fixture.master, scratchDirectory: fixture.scratch)
            }
            #expect(error.code == .integrityError)
            #expect(error.details["stage"] == "checksum")
        }
        #expect(!fixture.lmdbOpenedSomethingHere)
    }

    @Test func somethingThatIsNotABackupIsRefusedWithAClearMessage() throws {
        let fixture = try Fixture()
        let home = fixture.home.directory
        _ = FileManager.default.createFile(atPath: home.appending("plain"), contents: Data("hello".utf8))
        try FileManager.default.createDirectory(atPath: home.appending("empty"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: home.appending("junk"), withIntermediateDirectories: false)
        _ = FileManager.default.createFile(
            atPath: home.appending("junk/manifest.json"), contents: Data("{\"a\": 1}".utf8))
        _ = FileManager.default.createFile(
            atPath: home.appending("junk/data.mdb"), contents: Data(repeating: 7, count: 4096))
        let cases: [(String, CatalogError.Code, String)] = [
            (home.appending("plain"), .integrityError, "not a backup"),
            (home.appending("empty"), .integrityError, "no manifest.json"),
            (home.appending("junk"), .integrityError, "not a valid backup manifest"),
            (fixture.home.path, .integrityError, "looks like a catalog directory"),
            (home.appending("missing"), .notFound, "no backup"),
        ]
        for (path, code, text) in cases {
            let error = try #require(throws: CatalogError.self) {
                try Backup.verify(path, master: fixture.master, scratchDirectory: fixture.scratch)
            }
            #expect(error.code == code, "\(path)")
            #expect(error.message.contains(text), "\(error.message)")
        }
        #expect(!fixture.lmdbOpenedSomethingHere)
    }

    @Test func anotherMasterKeyIsReportedAsSuch() throws {
        let fixture = try Fixture()
        let error = try #require(throws: CatalogError.self) {
            try Backup.verify(fixture.backup, master: MasterKey.generate(), scratchDirectory: fixture.scratch)
        }
        #expect(error.code == .wrongKey)
        #expect(!fixture.lmdbOpenedSomethingHere)
    }
}

extension String {
    fileprivate func appending(_ name: String) -> String { "\(self)/\(name)" }
}
