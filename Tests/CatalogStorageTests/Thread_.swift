import Foundation
import Synchronization

/// An OS thread running a throwing body, joined with its error (tests of thread-level behaviour need real
/// threads, not tasks).
final class Thread_: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let failure = Mutex<(any Error)?>(nil)

    init(name: String, _ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            do { try body() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits for the body to finish and rethrows its error.
    func join() throws {
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// A flag one thread raises and others poll.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .relaxed) }
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
