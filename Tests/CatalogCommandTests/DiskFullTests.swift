import CatalogTestSupport
import Foundation
import Testing

/// A catalog on a file system that fills up: the write that does not fit fails saying the disk is full and
/// where, and everything acknowledged before it is still there.
@Suite struct DiskFullTests {
    /// A 512 KiB tmpfs mounted on a fresh directory (root only; the test is off where mounting is not allowed).
    final class SmallFileSystem {
        let directory = TemporaryDirectory("catalog-full")
        let mountPoint: String
        let mounted: Bool

        init() {
            mountPoint = directory.appending("fs")
            mkdir(mountPoint, 0o700)
            let mount = Process()
            mount.executableURL = URL(fileURLWithPath: "/bin/mount")
            mount.arguments = ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mountPoint]
            mount.standardError = FileHandle.nullDevice
            mounted =
                (try? mount.run()) != nil
                && {
                    mount.waitUntilExit()
                    return mount.terminationStatus == 0
                }()
        }

        deinit {
            guard mounted else { return }
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [mountPoint]
            try? umount.run()
            umount.waitUntilExit()
        }
    }

    static let canMount: Bool = getuid() == 0 && SmallFileSystem().mounted

    @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"))
    func aWriteThatDoesNotFitSaysTheDiskIsFullAndWhere() throws {
        let fileSystem = SmallFileSystem()
        try #require(fileSystem.mounted)
        let home = CatalogHome()
        let path = "\(fileSystem.mountPoint)/catalog"
        let key = home.directory.appending("full.key")
        func catalog(_ arguments: [String]) throws -> CatalogRun {
            try ChildProcess.run(
                "\(HelperProcess.buildDirectory)/catalog",
                ["--path", path, "--key-file", key, "--format", "json"] + arguments,
                environment: home.environment, input: nil)
        }
        #expect(try catalog(["-e", "SHOW CONNECTIONS"]).status == 0)
        let script = home.directory.appending("fill.sql")
        let padding = String(repeating: "x", count: 200)
        try (0..<3000).map {
            "CREATE STORAGE CONNECTION c\($0) TYPE = S3 REGION = 'us-east-1' "
                + "ROLE_ARN = 'arn:aws:iam::123456789012:role/r' COMMENT = '\(padding)';"
        }
        .joined(separator: "\n").write(toFile: script, atomically: true, encoding: .utf8)
        let run = try catalog(["-f", script])
        #expect(run.status == 1)
        let outcomes = try run.outcomes()
        guard case .error(let code, let message, _, _) = outcomes.last else {
            Issue.record("the disk never filled: \(outcomes.count) outcomes")
            return
        }
        #expect(code == "io_error")
        #expect(message.contains("the disk holding '\(path)' is full"), "\(message)")
        #expect(!message.contains("Input/output error"))
        let acknowledged = outcomes.dropLast().count
        #expect(acknowledged > 0)
        // Every acknowledged create is there (read-only stats needs no space).
        let stats = try catalog(["-e", "SHOW CONNECTIONS"])
        #expect(try stats.outcome().resultSet?.rows.count == acknowledged)
    }
}
