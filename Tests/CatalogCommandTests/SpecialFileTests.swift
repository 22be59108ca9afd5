import CatalogTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A FIFO (or another non-regular file) where a catalog file belongs is refused at once, never waited on.
@Suite struct SpecialFileTests {
    /// Runs `catalog` and waits up to `timeout` seconds for it to end; a run still going is killed and reported.
    func runBounded(
        _ home: CatalogHome, _ arguments: [String], timeout: Double = 30
    ) throws -> (status: Int32?, output: String) {
        let process = try HelperProcess("catalog", arguments, environment: home.environment)
        let deadline = Date().addingTimeInterval(timeout)
        while process.process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.process.isRunning else {
            process.kill()
            Issue.record(
                "`catalog \(arguments.joined(separator: " "))` hung on a FIFO and was killed after \(timeout) s")
            return (nil, process.output)
        }
        let status = process.waitForExit()
        return (status, process.output)
    }

    func expectRefused(
        _ result: (status: Int32?, output: String), sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        guard let status = result.status else { return }
        #expect(status == 1, sourceLocation: sourceLocation)
        let outcome = try JSONOutcome.parse(result.output.trimmingCharacters(in: .newlines))
        guard case .error(_, let message, _, _) = outcome else {
            Issue.record("expected an error, got \(outcome)", sourceLocation: sourceLocation)
            return
        }
        #expect(message.contains("not a regular file"), "\(message)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [["stats"], ["sql", "-e", "SHOW CONNECTIONS"]])
    func aFIFOAsDataFileIsRefused(command: [String]) throws {
        let home = CatalogHome()
        try FileManager.default.createDirectory(atPath: home.path, withIntermediateDirectories: false)
        #expect(mkfifo(home.dataFile, 0o600) == 0)
        try expectRefused(
            runBounded(home, [command[0], "--path", home.path, "--format", "json"] + command.dropFirst()))
    }

    @Test(arguments: [["stats"], ["sql", "-e", "SHOW CONNECTIONS"], ["init"]])
    func aFIFOInPlaceOfAnExistingCatalogsDataFileIsRefused(command: [String]) throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fc"))
        #expect(unlink(home.dataFile) == 0)
        #expect(mkfifo(home.dataFile, 0o600) == 0)
        try expectRefused(
            runBounded(home, [command[0], "--path", home.path, "--format", "json"] + command.dropFirst()))
    }

    @Test(arguments: [["stats"], ["sql", "-e", "SHOW CONNECTIONS"], ["init"]])
    func aFIFOAsKeyFileIsRefused(command: [String]) throws {
        let home = CatalogHome()
        try home.sql(SQLFixture.api("fc"))
        #expect(unlink(home.keyFile) == 0)
        #expect(mkfifo(home.keyFile, 0o600) == 0)
        try expectRefused(
            runBounded(home, [command[0], "--path", home.path, "--format", "json"] + command.dropFirst()))
    }
}
