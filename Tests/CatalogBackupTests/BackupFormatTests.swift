import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

@testable import CatalogBackup

/// The manifest formats a backup may be in: new backups are format 2 (a keyed BLAKE2b tree), and backups of
/// format 1 (one keyed BLAKE2b pass), written by earlier versions, still verify and restore.
@Suite struct BackupFormatTests {
    let home = TestCatalog()
    let backup: String
    let master: MasterKey
    var manifestPath: String { "\(backup)/manifest.json" }
    var dataPath: String { "\(backup)/data.mdb" }

    init() throws {
        let catalog = try home.open()
        try fill(catalog, count: 60)
        backup = home.directory.appending("backup")
        try Backup.create(from: catalog, at: backup)
        master = try home.master()
    }

    /// The manifest's bytes before its checksum line, and the checksum it holds.
    func manifestParts() throws -> (body: [UInt8], checksum: String) {
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        let marker = "  \"checksum\": \""
        let range = try #require(text.range(of: marker, options: .backwards))
        let checksum = String(text[range.upperBound...].prefix(64))
        return (Array(text[..<range.lowerBound].utf8), checksum)
    }

    func bigEndian(_ value: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    @Test func aNewBackupIsFormatTwoAndItsChecksumIsTheDocumentedTree() throws {
        let (body, stored) = try manifestParts()
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains("\"format_version\": 2,"))
        #expect(text.contains("\"checksum_algorithm\": \"blake2b-256-keyed-tree-8mib\","))
        let data = try #require(FileManager.default.contents(atPath: dataPath))
        let tree = TreeChecksum(key: ChecksumKey(master: master), leafSize: 8 << 20)
        tree.update(Array(data))
        let expected = tree.finalize(binding: Array("connection-catalog-backup v2\n".utf8) + body)
        #expect(StreamingChecksum.hex(expected) == stored)
        #expect(try Backup.verify(backup, master: master).manifest.manifestVersion == 2)
    }

    /// `text` with format 2's version and checksum algorithm relabelled as format 1's.
    func relabelledAsFormatOne(_ text: String, algorithm: Bool = true) -> String {
        let text = text.replacingOccurrences(of: "\"format_version\": 2,", with: "\"format_version\": 1,")
        guard algorithm else { return text }
        return text.replacingOccurrences(
            of: "\"checksum_algorithm\": \"blake2b-256-keyed-tree-8mib\",",
            with: "\"checksum_algorithm\": \"blake2b-256-keyed\",")
    }

    /// The error verify gives for the backup as it now is.
    func verifyFailure(sourceLocation: SourceLocation = #_sourceLocation) -> CatalogError? {
        do {
            _ = try Backup.verify(backup, master: master)
            Issue.record("verify accepted the altered backup", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// Rewrites the backup's manifest as format 1 would have written it, checksum included.
    func rewriteAsFormatOne() throws {
        let text = relabelledAsFormatOne(String(decoding: try manifestParts().body, as: UTF8.self))
        let body = Array(text.utf8)
        let data = Array(try #require(FileManager.default.contents(atPath: dataPath)))
        let checksum = ChecksumKey(master: master).makeChecksum()
        checksum.update(
            Array("connection-catalog-backup v1\n".utf8) + bigEndian(body.count) + body + bigEndian(data.count) + data)
        let manifest = text + "  \"checksum\": \"\(StreamingChecksum.hex(checksum.finalize()))\"\n}\n"
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: manifestPath))
    }

    @Test func aFormatOneBackupStillVerifiesAndRestores() throws {
        let original = try describeAll(try home.open())
        try rewriteAsFormatOne()
        let report = try Backup.verify(backup, master: master)
        #expect(report.isHealthy)
        #expect(report.manifest.manifestVersion == 1)
        let target = home.directory.appending("restored")
        try Backup.restore(backup, to: target, master: master)
        let restored = try Catalog.open(at: target, keySource: .keyFile(path: home.keyFile))
        #expect(try describeAll(restored) == original)
    }

    @Test func aFormatOneBackupWithAFlippedDataByteIsCaught() throws {
        try rewriteAsFormatOne()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: dataPath)[.size] as? Int)
        for offset in [0, size / 2, size - 1] {
            var caught: CatalogError?
            VerifyTests.flip(dataPath, at: offset, mask: 0x10) {
                do { _ = try Backup.verify(backup, master: master) } catch { caught = error as? CatalogError }
            }
            #expect(caught?.code == .integrityError, "byte \(offset)")
            #expect(caught?.details["stage"] == "checksum")
        }
    }

    @Test func aFormatTwoBackupRelabelledAsFormatOneIsCaught() throws {
        // Only the label changes: the tree checksum does not pass for the single pass of format 1.
        let text = relabelledAsFormatOne(try String(contentsOfFile: manifestPath, encoding: .utf8))
        try Data(text.utf8).write(to: URL(fileURLWithPath: manifestPath))
        let error = verifyFailure()
        #expect(error?.code == .integrityError)
        #expect(error?.details["reason"] == "checksum")
    }

    @Test func aFormatOneManifestNamingTheTreeAlgorithmIsRefused() throws {
        let text = relabelledAsFormatOne(try String(contentsOfFile: manifestPath, encoding: .utf8), algorithm: false)
        try Data(text.utf8).write(to: URL(fileURLWithPath: manifestPath))
        let error = verifyFailure()
        #expect(error?.code == .integrityError)
        #expect(error?.message.contains("unknown checksum algorithm") == true)
    }
}
