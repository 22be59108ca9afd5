import Foundation
import Synchronization

/// Ctrl-C in the shell: SIGINT sets a flag instead of ending the process (which would lose an open BEGIN).
///
/// The handler is installed without `SA_RESTART`, so a `read` waiting for a key returns `EINTR`; the line
/// reader then sees `Interrupts.pending` and the shell drops the line being typed and shows a new prompt.
enum Interrupts {
    private static let flag = Atomic<Bool>(false)

    /// Installs the handler for the rest of the process (the shell runs until the process ends).
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupts.flag.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent may have left SIGINT blocked (the mask is inherited across exec); the shell needs it.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }

    /// Whether Ctrl-C was pressed since the last `clear()`.
    static var pending: Bool { flag.load(ordering: .relaxed) }

    /// Forgets an earlier Ctrl-C (before a new line is read).
    static func clear() { flag.store(false, ordering: .relaxed) }
}
