#if canImport(Glibc)
    internal import Glibc
#endif

/// Crash points a test switches on in a child process through its environment, so that a kill lands exactly
/// where the test means it to, not wherever a timer happens to fall.
///
/// Points: `kill-mid-commit` (half of a change set's writes are in the LMDB transaction, before it commits),
/// `restore-before-swap` (the restored catalog is staged and synced, the target untouched) and
/// `restore-after-swap` (the target has been swapped, the old catalog not yet removed).
package enum FailPoint {
    /// The point named in `CATALOG_FAILPOINT`, read once.
    private static let armed = getenv("CATALOG_FAILPOINT").map { String(cString: $0) }

    static let killsMidCommit = armed == "kill-mid-commit"

    /// SIGKILLs this process if `CATALOG_FAILPOINT` names `point`; otherwise does nothing.
    package static func reach(_ point: String) {
        if armed == point { killProcess() }
    }

    static func killProcess() {
        kill(getpid(), SIGKILL)
    }
}
