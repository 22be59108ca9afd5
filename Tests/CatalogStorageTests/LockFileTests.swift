import CatalogStorage
import CatalogTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Processes stay apart even when `lock.mdb` is deleted: the data file carries its own locks, a write through a
/// deleted or replaced lock file is refused, and a process opening beside one still using the old lock file is
/// refused too.
@Suite struct LockFileTests {
    /// The last record number `writer` acknowledged for `name`.
    func acknowledged(_ writer: HelperProcess, _ name: String) -> Int {
        writer.outputLines.compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return fields.count == 3 && fields[0] == "ack" && fields[1] == name ? Int(fields[2]) : nil
        }.max() ?? 0
    }

    @Test func deletingTheLockFileUnderTwoWritersLosesNoAcknowledgedWrite() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("env")
        let limit = 4000
        let names = ["left", "right"]
        let writers = try names.map { try HelperProcess("StorageTestHelper", ["count-writes", path, $0, "\(limit)"]) }
        // A reader keeps the environment open through the old lock file until the end, as a service would, so
        // the third writer below opens beside a live user of that file whatever the writers do meanwhile.
        let reader = try HelperProcess("StorageTestHelper", ["hold-reader", path])
        #expect(reader.waitForLine { $0 == "reading" })
        for (writer, name) in zip(writers, names) {
            #expect(writer.waitForLine { _ in acknowledged(writer, name) >= 20 }, "\(writer.errorOutput)")
        }
        // The deletion lands mid-run: both writers are still writing when the lock file goes.
        #expect(writers.allSatisfy { $0.process.isRunning && !$0.outputLines.contains("done") })
        #expect(unlink("\(path)/lock.mdb") == 0)
        // A third writer opens next, with a lock file of its own that the first two never see.
        let late = try HelperProcess("StorageTestHelper", ["count-writes", path, "late", "\(limit)"])
        let lateStatus = late.waitForExit()
        let statuses = writers.map { $0.waitForExit() }
        #expect(reader.process.isRunning, "the reader was alive while the third writer opened")
        reader.kill()

        // Each of the first two had its next write refused, so the deletion happened while they ran.
        for (writer, status) in zip(writers, statuses) {
            #expect(status == 4, "\(writer.outputLines.suffix(2)) \(writer.errorOutput)")
            #expect(writer.outputLines.last?.contains("lock file") == true, "\(writer.outputLines.suffix(1))")
            #expect(acknowledged(writer, names[writers.firstIndex { $0 === writer }!]) < limit)
        }
        // The late writer was refused at open: another process had the data file open through the old lock file.
        #expect(lateStatus == 1)
        #expect(late.errorOutput.contains("lock file"), "\(late.errorOutput)")
        #expect(!late.outputLines.contains("opened"))

        // Once every process has gone, the environment opens again and holds every acknowledged write.
        let list = try HelperProcess("StorageTestHelper", ["list", path])
        #expect(list.waitForExit() == 0, "\(list.errorOutput)")
        let stored = Set(list.outputLines.filter { $0.hasPrefix("key ") }.map { String($0.dropFirst(4)) })
        var counted = 0
        for (writer, name) in zip(writers + [late], names + ["late"]) {
            let acks = acknowledged(writer, name)
            counted += acks
            let lost = (0..<acks).map { "\(name)-\($0 + 1)" }.filter { !stored.contains($0) }
            #expect(lost.isEmpty, "\(lost.count) acknowledged writes of \(name) lost, e.g. \(lost.prefix(3))")
        }
        #expect(counted >= 40)
    }

    @Test func anotherProcessUsingTheEnvironmentIsSeenEvenAfterItsLockFileIsDeleted() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("env")
        let creator = try HelperProcess("StorageTestHelper", ["open", path])
        #expect(creator.waitForExit() == 0)
        #expect(try !Environment.isInUseByAnotherProcess(at: path))

        let reader = try HelperProcess("StorageTestHelper", ["hold-reader", path])
        #expect(reader.waitForLine { $0 == "reading" })
        #expect(try Environment.isInUseByAnotherProcess(at: path))
        #expect(unlink("\(path)/lock.mdb") == 0)
        #expect(try Environment.isInUseByAnotherProcess(at: path), "the data file's lock does not live in lock.mdb")
        let error = try #require(throws: StorageError.self) {
            try Environment.open(at: path, options: .init(databases: ["data"]))
        }
        #expect(error.code == .lockFileReplaced)
        #expect(error.message.contains("close every process"))

        reader.kill()
        #expect(try !Environment.isInUseByAnotherProcess(at: path))
        let environment = try Environment.open(at: path, options: .init(databases: ["data"]))
        defer { withExtendedLifetime(environment) {} }
        #expect(try !Environment.isInUseByAnotherProcess(at: path), "this process's own handle is not another's")
        // The lock belongs to the handle's open file description: closing another descriptor of the same file in
        // this process (which would drop a POSIX lock) leaves it held, as another process sees.
        let other = open("\(environment.path)/data.mdb", O_RDONLY)
        #expect(other >= 0)
        close(other)
        let asker = try HelperProcess("StorageTestHelper", ["in-use", path])
        #expect(asker.waitForExit() == 0)
        #expect(asker.outputLines == ["in-use true"])
    }
}
