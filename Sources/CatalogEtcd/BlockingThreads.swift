internal import Foundation
internal import Synchronization

/// Threads for work that blocks on the network (a write's staging reads, a lane of grouped reads or commits),
/// kept after their job so that the next one starts without creating a thread: under load, creating one per
/// write cost more than the write's own client work, and its start waited on the scheduler.
///
/// A job goes to an idle thread if one waits, else to a new thread; threads never leave, so the pool is as
/// large as the most jobs that ever ran at once (each parked thread costs its stack, nothing else).
final class BlockingThreads: Sendable {
    /// The pool every store of the process shares.
    static let shared = BlockingThreads(name: "EtcdStore.io")

    private let name: String
    private let state = Mutex<(jobs: [@Sendable () -> Void], idle: Int)>(([], 0))
    private let wake = DispatchSemaphore(value: 0)

    init(name: String) { self.name = name }

    /// Runs `job` on a pool thread, soon.
    func run(_ job: @escaping @Sendable () -> Void) {
        let handedToIdle = state.withLock { state in
            state.jobs.append(job)
            guard state.idle > 0 else { return false }
            state.idle -= 1
            return true
        }
        if handedToIdle {
            wake.signal()
        } else {
            let thread = Thread { [self] in work() }
            thread.name = name
            thread.start()
        }
    }

    /// Runs jobs as they come, parking between them.
    private func work() {
        while true {
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                guard !state.jobs.isEmpty else {
                    state.idle += 1
                    return nil
                }
                return state.jobs.removeFirst()
            }
            if let job {
                job()
            } else {
                wake.wait()
            }
        }
    }
}
