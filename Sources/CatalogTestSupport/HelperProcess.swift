public import Foundation

/// A child process the tests start themselves (a helper executable or the `catalog` binary), with its
/// standard output and error collected.
public final class HelperProcess: @unchecked Sendable {
    // Safe because: `Process` is only started and signalled from the test's thread; the output buffers are
    // guarded by `lock`, and the reading threads touch nothing else.
    public let process = Process()
    private let outputPipe = Pipe()
    private let errorPipe = Pipe()
    private let lock = NSLock()
    private var outputBytes: [UInt8] = []
    private var errorBytes: [UInt8] = []
    /// Left by each reading thread when its pipe reaches end of file.
    private let drained = DispatchGroup()

    /// The directory of the running test binary, where SwiftPM puts the package's executables too.
    public static var buildDirectory: String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (executable as NSString).deletingLastPathComponent
    }

    /// Starts the executable `name` from the build directory with `arguments`.
    public init(
        _ name: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil
    ) throws {
        process.executableURL = URL(fileURLWithPath: "\(Self.buildDirectory)/\(name)")
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        // One reading thread per pipe, until end of file. (A readability handler could be holding bytes it had
        // read but not yet stored when `waitForExit` turned it off: the output of a process that had exited
        // was then seen empty now and then.) The threads hold the object strongly until the pipes end.
        for isError in [false, true] {
            let handle = (isError ? errorPipe : outputPipe).fileHandleForReading
            drained.enter()
            Thread.detachNewThread { [self] in
                while case let data = handle.availableData, !data.isEmpty {
                    lock.withLock {
                        if isError { errorBytes.append(contentsOf: data) } else { outputBytes.append(contentsOf: data) }
                    }
                }
                drained.leave()
            }
        }
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
    }

    /// Everything the process has written to standard output so far.
    public var output: String { lock.withLock { String(decoding: outputBytes, as: UTF8.self) } }
    public var errorOutput: String { lock.withLock { String(decoding: errorBytes, as: UTF8.self) } }

    /// The complete lines of standard output so far (a line still being written is left out).
    public var outputLines: [String] {
        let text = output
        guard let lastNewline = text.lastIndex(of: "\n") else { return [] }
        return text[..<lastNewline].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Waits until a complete output line satisfies `predicate`, or `timeout` seconds pass.
    @discardableResult
    public func waitForLine(timeout: Double = 30, where predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if outputLines.contains(where: predicate) { return true }
            if !process.isRunning && !outputLines.contains(where: predicate) {
                Thread.sleep(forTimeInterval: 0.05)
                return outputLines.contains(where: predicate)
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return false
    }

    /// Sends SIGKILL and waits for the process to end.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        waitForExit()
    }

    /// Waits for the process to end and for its output to be collected; returns its exit status.
    @discardableResult
    public func waitForExit() -> Int32 {
        process.waitUntilExit()
        // Everything it wrote is collected once both pipes end. A child it left running that holds them open
        // (none of the helpers does) would keep them open: then wait a while and go on with what came.
        _ = drained.wait(timeout: .now() + 30)
        return process.terminationStatus
    }
}
