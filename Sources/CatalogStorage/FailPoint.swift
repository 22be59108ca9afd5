#if canImport(Glibc)
    internal import Glibc
#endif

/// Crash points a test switches on in a child process through its environment, so that a kill lands exactly
/// where the test means it to, not wherever a timer happens to fall.
enum FailPoint {
    /// `CATALOG_FAILPOINT=kill-mid-commit`: the process SIGKILLs itself once half of a change set's writes are
    /// in the LMDB transaction, before it commits.
    static let killsMidCommit = getenv("CATALOG_FAILPOINT").map { String(cString: $0) } == "kill-mid-commit"

    static func killProcess() {
        kill(getpid(), SIGKILL)
    }
}
