#if canImport(Glibc)
    internal import Glibc
#endif

/// A mutex with a condition variable, for state that threads wait on (the transaction gate) and for a lock that
/// is held across a caller's closure (the writer lock), where `Synchronization.Mutex` cannot lend its guard.
final class ConditionLock: @unchecked Sendable {
    // Safe because: the pthread objects live at stable heap addresses for the lock's lifetime and are only
    // used through the pthread API, which is thread-safe by contract.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a `broadcast`; the caller holds the lock and re-checks its condition afterwards.
    func wait() { pthread_cond_wait(condition, mutex) }
    func broadcast() { pthread_cond_broadcast(condition) }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}
