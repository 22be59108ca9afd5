import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The copies of the tool that `--processes P` starts on the same catalog, and how each side makes sure none
/// outlives the run: the parent waits with a timeout and then kills; a child exits when its parent is gone.
struct ChildProcess {
    let index: Int
    let process: Process
    let reportPath: String

    /// Starts child `index` of this executable with `arguments`; its output goes to this process's.
    static func start(index: Int, arguments: [String], reportPath: String) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executablePath())
        process.arguments = arguments + ["--parent", "\(getpid())"]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return ChildProcess(index: index, process: process, reportPath: reportPath)
    }

    /// Waits until every child has exited or `deadline` (monotonic ns) has passed; kills those still running.
    ///
    /// - Returns: each child's exit status, `nil` for one that had to be killed.
    static func waitAll(_ children: [ChildProcess], deadline: UInt64) -> [Int32?] {
        while children.contains(where: { $0.process.isRunning }), monotonicNanoseconds() < deadline {
            usleep(20_000)
        }
        return children.map { child in
            guard child.process.isRunning else { return child.process.terminationStatus }
            child.kill()
            return nil
        }
    }

    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// In a child: a thread that ends this process as soon as `parent` is no longer its parent (the parent
    /// died and the child was handed to init or a subreaper), so no child keeps loading an abandoned catalog.
    static func exitWithParent(_ parent: Int32) {
        Thread {
            while getppid() == parent { usleep(100_000) }
            FileHandle.standardError.write(Data("LoadTool: parent \(parent) is gone; child \(getpid()) exits\n".utf8))
            _exit(70)
        }.start()
    }

    private static func executablePath() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw UsageError("cannot find this executable (/proc/self/exe): errno \(errno)") }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
