internal import Foundation

/// A directory for one dataset, removed when the value goes away.
///
/// It is made under `$BENCH_DIR` if set, else the system's temporary directory. Synced commits are
/// only meaningful on a real disk: do not point it at a tmpfs.
public final class TemporaryDirectory {
    public let path: String

    public init(prefix: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let parent = environment["BENCH_DIR"] ?? NSTemporaryDirectory()
        path = (parent as NSString).appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
