#if canImport(Glibc)
    internal import Glibc
#endif

/// Counts the live transactions of one environment in this process, so that the map can be resized only when
/// none is live, as `mdb_env_set_mapsize` requires.
///
/// While a resize waits, new transactions wait too, except on a thread that already holds one of this
/// environment's transactions: making that thread wait would deadlock it against the resize.
final class TransactionGate: @unchecked Sendable {
    // Safe because: `live` and `resizing` are read and written only while `lock` is held, and the per-thread
    // depth lives in thread-specific storage that only its own thread touches.
    private let lock = ConditionLock()
    private var live = 0
    private var resizing = false
    private let depthKey: pthread_key_t

    init() {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key, nil)
        precondition(rc == 0, "pthread_key_create failed (\(rc)): the process has run out of thread-specific keys")
        depthKey = key
    }

    deinit { pthread_key_delete(depthKey) }

    /// How many of this environment's transactions the calling thread holds.
    var depthOnThisThread: Int { Int(bitPattern: pthread_getspecific(depthKey)) }

    private func setDepth(_ depth: Int) { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: depth)) }

    /// Registers a transaction about to begin on this thread.
    func enter() {
        let depth = depthOnThisThread
        lock.withLock {
            while resizing && depth == 0 { lock.wait() }
            live += 1
        }
        setDepth(depth + 1)
    }

    /// Registers the end of a transaction begun after `enter()` on this thread.
    func leave() {
        setDepth(depthOnThisThread - 1)
        lock.withLock {
            live -= 1
            if live == 0 { lock.broadcast() }
        }
    }

    /// Runs `body` once no transaction of the environment is live in this process, holding new ones back.
    ///
    /// - Throws: `StorageError` `.cannotGrow` if the calling thread itself holds a transaction.
    func exclusively<R>(_ operation: String, _ body: () throws -> R) throws -> R {
        guard depthOnThisThread == 0 else {
            throw StorageError(
                code: .cannotGrow, operation: operation,
                message: "the map must be resized, but this thread holds a transaction of the same environment; "
                    + "finish the outer read before writing")
        }
        lock.lock()
        while resizing { lock.wait() }
        resizing = true
        while live > 0 { lock.wait() }
        lock.unlock()
        defer {
            lock.withLock {
                resizing = false
                lock.broadcast()
            }
        }
        return try body()
    }
}
