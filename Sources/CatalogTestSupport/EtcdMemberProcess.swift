internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// One etcd member of a test cluster: started with `posix_spawn`, SIGKILLed and reaped by its PID, once.
///
/// Why not Foundation's `Process`: on Linux it learns that a child ended through a socket pair whose child end
/// is not close-on-exec, and it closes the parent's other descriptors in the child by listing them first, so a
/// child spawned at the same moment by another test can inherit that end (or a pipe of that test), and the
/// end of one process is then noticed only when the other ends too; its `waitUntilExit` spins a run loop on
/// the calling thread, a thread of the cooperative pool in an async test. Here the child gets standard input
/// from `/dev/null`, its log as standard output and error, and no other descriptor at all
/// (`posix_spawn_file_actions_addclosefrom_np`); it is reaped by `waitpid` on its own PID, so the PID is never
/// signalled after it could have been reused.
final class EtcdMemberProcess: Sendable {
    let pid: pid_t
    /// Whether the member was reaped (it cannot be signalled any more).
    private let reaped = Mutex(false)

    /// Starts `executable` with `arguments`, appending its output to the file `log`.
    ///
    /// - Throws: `EtcdCluster.Failure` naming the call that failed.
    init(executable: String, arguments: [String], log: String) throws {
        let logFD = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else { throw EtcdCluster.Failure("cannot open \(log): \(String(cString: strerror(errno)))") }
        defer { close(logFD) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        Self.closeEveryOtherDescriptor(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (as Process does), and every signal at its default and unblocked.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw EtcdCluster.Failure("posix_spawn \(executable) failed: \(String(cString: strerror(status)))")
        }
        self.pid = pid
    }

    /// Adds "close every descriptor from 3 up" to `actions`: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// (2.34 and later, which Swift's Glibc module does not declare), else one close per possible descriptor
    /// (glibc ignores a close of one that is not open).
    private static func closeEveryOtherDescriptor(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        for descriptor in 3..<min(getdtablesize(), 65_536) { posix_spawn_file_actions_addclose(&actions, descriptor) }
    }

    /// Whether the member is still running (reaping it if it ended by itself).
    var isRunning: Bool {
        reaped.withLock { reaped in
            guard !reaped else { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { reaped = true }
            return !reaped
        }
    }

    /// SIGKILLs the member unless it was reaped already, and waits until it is gone.
    func kill() {
        reaped.withLock { reaped in
            guard !reaped else { return }
            _ = Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = true
        }
    }
}
