import CatalogTestSupport
import Foundation
import Testing

/// The built `catalog` binary's backup commands: they run, and exit 0 on success, 1 on failure, 2 on bad usage.
@Suite struct CommandTests {
    @Test func backupVerifyRestoreExportImportThroughTheBinary() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        let key = home.appending("catalog.key")
        let create = try runCatalog(
            ["sql", "--path", path, "-e",
             "CREATE STORAGE CONNECTION s3_logs TYPE = S3 REGION = 'us-west-2' ACCESS_KEY_ID = 'AKIAEXAMPLE0001' "
                + "SECRET_ACCESS_KEY = 'not-a-real-secret'"], home: home.path)
        #expect(create.status == 0, "\(create.errorOutput)")
        let backup = home.appending("backup")
        let made = try runCatalog(["backup", "--path", path, backup, "--format", "json"], home: home.path)
        #expect(made.status == 0, "\(made.errorOutput)")
        #expect(made.output.hasPrefix("{\"columns\": [\"item\", \"value\"]"))
        #expect(made.errorOutput.isEmpty, "off a terminal only the result is printed")
        #expect(try runCatalog(["backup", "--path", path, backup], home: home.path).status == 1, "never overwrites")

        let verified = try runCatalog(["verify", "--path", path, backup], home: home.path)
        #expect(verified.status == 0, "\(verified.errorOutput)")
        #expect(verified.output.contains("ok"))

        let restore = try runCatalog(["restore", "--path", path, backup], home: home.path)
        #expect(restore.status == 1)
        #expect(restore.errorOutput.contains("ERROR [already_exists]"))
        let forced = try runCatalog(["restore", "--path", path, backup, "--force"], home: home.path)
        #expect(forced.status == 0, "\(forced.errorOutput)")
        let elsewhere = try runCatalog(
            ["restore", "--path", home.appending("copy"), "--key-file", key, backup], home: home.path)
        #expect(elsewhere.status == 0, "\(elsewhere.errorOutput)")

        let export = home.appending("export.jsonl")
        #expect(try runCatalog(["export", "--path", path, export], home: home.path).status == 0)
        let conflict = try runCatalog(["import", "--path", path, export, "--format", "json"], home: home.path)
        #expect(conflict.status == 1)
        #expect(conflict.output.contains("\"code\": \"conflict\""))
        #expect(try runCatalog(["import", "--path", path, export, "--on-conflict", "skip"], home: home.path).status == 0)
        // Import needs an existing catalog (only init and sql create one).
        #expect(try runCatalog(["init", "--path", home.appending("fresh")], home: home.path).status == 0)
        let fresh = try runCatalog(
            ["import", "--path", home.appending("fresh"), export, "--source-key-file", key], home: home.path)
        #expect(fresh.status == 0, "\(fresh.errorOutput)")
        let described = try runCatalog(["sql", "--path", home.appending("fresh"), "-e", "DESC CONNECTION s3_logs"], home: home.path)
        #expect(described.status == 0)
        #expect(described.output.contains("EXTERNAL_ID"))
    }

    @Test func failuresExitOneAndBadUsageExitsTwo() throws {
        let home = TemporaryDirectory("catalog-backup-cli")
        let path = home.appending("catalog")
        #expect(try runCatalog(["init", "--path", path], home: home.path).status == 0)
        let backup = home.appending("backup")
        #expect(try runCatalog(["backup", "--path", path, backup], home: home.path).status == 0)
        // A flipped byte of the data file.
        let data = "\(backup)/data.mdb"
        var bytes = fileBytes(data)
        bytes[bytes.count / 2] ^= 0x10
        _ = FileManager.default.createFile(atPath: data, contents: Data(bytes))
        let damaged = try runCatalog(["verify", "--path", path, backup, "--format", "json"], home: home.path)
        #expect(damaged.status == 1)
        #expect(damaged.output.contains("\"code\": \"integrity_error\""))
        let missingKey = try runCatalog(["verify", "--path", path, "--key-file", home.appending("none.key"), backup], home: home.path)
        #expect(missingKey.status == 1)
        #expect(!fileExists(home.appending("none.key")), "verify never creates a key file")
        #expect(try runCatalog(["verify", "--path", path], home: home.path).status == 2)
        #expect(try runCatalog(["import", "--path", path, "x", "--on-conflict", "maybe"], home: home.path).status == 2)
    }
}
