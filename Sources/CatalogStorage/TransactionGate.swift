internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// Counts the live transactions of one environment in this process, so that the map can be resized only when
/// none is live, as `mdb_env_set_mapsize` requires.
///
/// The common path is two atomic operations: a transaction counts itself in, then checks that no resize is
/// pending. A resize raises its flag, then waits for the count to drain; because both sides write before they
/// read (sequentially consistent), either the transaction sees the flag and backs out, or the resize sees the
/// transaction and waits for it. While a resize waits, new transactions wait too, except on a thread that
/// already holds one of this environment's transactions: making that thread wait would deadlock it.
final class TransactionGate: @unchecked Sendable {
    // Safe because: `live` and `resizing` are atomics; waiting happens under `lock`, and the per-thread depth
    // lives in thread-specific storage that only its own thread touches.
    private let live = Atomic<Int>(0)
    private let resizing = Atomic<Bool>(false)
    private let lock = ConditionLock()
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
        while true {
            live.add(1, ordering: .sequentiallyConsistent)
            if depth > 0 || !resizing.load(ordering: .sequentiallyConsistent) { break }
            // A resize is pending: back out, wake it if we were the last, and wait for it to finish.
            release()
            lock.withLock {
                while resizing.load(ordering: .sequentiallyConsistent) { lock.wait() }
            }
        }
        setDepth(depth + 1)
    }

    /// Registers the end of a transaction begun after `enter()` on this thread.
    func leave() {
        setDepth(depthOnThisThread - 1)
        release()
    }

    private func release() {
        let remaining = live.subtract(1, ordering: .sequentiallyConsistent).newValue
        if remaining == 0 && resizing.load(ordering: .sequentiallyConsistent) {
            lock.withLock { lock.broadcast() }
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
        while resizing.load(ordering: .sequentiallyConsistent) { lock.wait() }
        resizing.store(true, ordering: .sequentiallyConsistent)
        while live.load(ordering: .sequentiallyConsistent) > 0 { lock.wait() }
        lock.unlock()
        defer {
            lock.withLock {
                resizing.store(false, ordering: .sequentiallyConsistent)
                lock.broadcast()
            }
        }
        return try body()
    }
}
