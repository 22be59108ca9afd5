#if canImport(Glibc)
    internal import Glibc
#endif

/// One open environment per canonical path per process: LMDB breaks when a process opens the same file twice
/// (closing one handle drops the other's locks).
final class EnvironmentRegistry: @unchecked Sendable {
    // Safe because: `entries` is read and written only while `lock` is held.
    static let shared = EnvironmentRegistry()

    private struct Entry {
        weak var environment: Environment?
    }

    private let lock = ConditionLock()
    private var entries: [String: Entry] = [:]

    /// Returns the environment open at `path`, or the one `open` creates.
    ///
    /// An entry whose environment is being deinitialised is waited for, so the old handle is closed before a
    /// new one opens the same files.
    func environment(at path: String, open: () throws -> Environment) throws -> Environment {
        lock.lock()
        defer { lock.unlock() }
        while let entry = entries[path] {
            if let environment = entry.environment { return environment }
            lock.wait()
        }
        let environment = try open()
        entries[path] = Entry(environment: environment)
        return environment
    }

    /// The environment open at `path` in this process, if any; never waits and never opens.
    func openEnvironment(at path: String) -> Environment? {
        lock.withLock { entries[path]?.environment }
    }

    /// Closes an environment's handle and forgets its path, waking anyone waiting to reopen it.
    func close(path: String, _ close: () -> Void) {
        lock.withLock {
            close()
            entries[path] = nil
            lock.broadcast()
        }
    }
}
