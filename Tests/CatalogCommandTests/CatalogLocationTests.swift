import CatalogTestSupport
import Foundation
import Testing

/// Where a catalog may be created: only by `init` and `sql`, only in a missing or empty directory (DESIGN §6).
@Suite struct CatalogLocationTests {
    /// Commands that need an existing catalog, as arguments after the subcommand's global options.
    static let commandsNeedingACatalog: [[String]] = [
        ["stats"], ["settings", "list"], ["settings", "set", "trust.aws.principal", "arn:aws:iam::111122223333:root"],
        ["rotate-key"], ["rekey", "--new-key-file", "NEW_KEY"], ["backup", "BACKUP"], ["export", "EXPORT"],
        ["import", "EXPORT"],
    ]

    @Test(arguments: commandsNeedingACatalog)
    func aCommandOtherThanInitOrSQLNeedsACatalogAndLeavesNothingBehind(command: [String]) throws {
        let home = CatalogHome()
        let missing = home.directory.appending("typo/catalog")
        let arguments = command.map { word in
            switch word {
            case "NEW_KEY": home.directory.appending("new.key")
            case "BACKUP": home.directory.appending("backup")
            case "EXPORT": home.directory.appending("export.jsonl")
            default: word
            }
        }
        let run = try home.run(
            [arguments[0], "--path", missing, "--format", "json"] + arguments.dropFirst(), withPath: false)
        #expect(run.status == 1, "\(command): \(run.output)")
        guard case .error(let code, let message, _, _) = try run.outcome() else {
            Issue.record("\(command) did not fail: \(run.output)")
            return
        }
        #expect(code == "not_found")
        #expect(message.contains(missing), "\(message)")
        #expect(message.contains("catalog init"), "\(message)")
        // Nothing at all: no directory, no lock file, no key file, no output file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.directory.path).sorted() == [])
    }

    @Test(arguments: [["init"], ["-e", "SHOW CONNECTIONS"], ["stats"]])
    func aDirectoryHoldingOtherFilesNeverBecomesACatalog(command: [String]) throws {
        let home = CatalogHome()
        let directory = home.directory.appending("documents")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: "\(directory)/notes.txt", contents: Data("keep me\n".utf8)))
        let options = ["--path", directory, "--format", "json"]
        let arguments = command[0].hasPrefix("-") ? options + command : [command[0]] + options + command.dropFirst()
        let run = try home.run(arguments, withPath: false)
        #expect(run.status == 1, "\(command): \(run.output)")
        guard case .error(let code, let message, _, _) = try run.outcome() else {
            Issue.record("\(command) did not fail: \(run.output)")
            return
        }
        #expect(code == (command == ["stats"] ? "not_found" : "already_exists"))
        #expect(message.contains(directory), "\(message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
        #expect(!FileManager.default.fileExists(atPath: "\(directory).key"))
    }

    @Test func initCreatesInAnEmptyDirectoryAndThenOpensIt() throws {
        let home = CatalogHome()
        try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: false)
        #expect(try home.run(["init"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: home.dataFile))
        #expect(FileManager.default.fileExists(atPath: home.keyFile))
        try home.sql(SQLFixture.api("fc"))
        #expect(try home.run(["init"]).status == 0, "an existing catalog opens as before")
        #expect(try home.run(["stats"]).status == 0)
        #expect(try home.names() == ["fc"])
    }
}
