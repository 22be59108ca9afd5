public import Foundation

/// A child process the tests start themselves (a helper executable or the `catalog` binary), with its
/// standard output and error collected.
public final class HelperProcess: @unchecked Sendable {
    // Safe because: `Process` is only started and signalled from the test's thread; the output buffers are
    // guarded by `lock`.
    public let process = Process()
    private let outputPipe = Pipe()
    private let errorPipe = Pipe()
    private let lock = NSLock()
    private var outputBytes: [UInt8] = []
    private var errorBytes: [UInt8] = []

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
        // The handlers hold the process object strongly: one may still fire after the test let go of it.
        outputPipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            lock.withLock { outputBytes.append(contentsOf: data) }
        }
        errorPipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            lock.withLock { errorBytes.append(contentsOf: data) }
        }
        try process.run()
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
        // Drain what the pipes still hold once the writer is gone.
        for (pipe, isError) in [(outputPipe, false), (errorPipe, true)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            let rest = pipe.fileHandleForReading.readDataToEndOfFile()
            lock.withLock {
                if isError { errorBytes.append(contentsOf: rest) } else { outputBytes.append(contentsOf: rest) }
            }
        }
        return process.terminationStatus
    }
}
