import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// Progress of a long operation on a terminal: records done, rate and time left, redrawn on one line of
/// standard error. Off a terminal it prints nothing.
final class Progress {
    let label: String
    let isTerminal = isatty(STDERR_FILENO) != 0
    let started = Date()
    var lastDrawn = Date.distantPast
    var drewAnything = false

    init(label: String) { self.label = label }

    func update(done: Int, total: Int) {
        guard isTerminal else { return }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Double(total - done) / rate : 0
        writeStandardError(String(format: "\r%@: %d/%d (%.0f/s, %.0fs left)   ", label, done, total, rate, left))
        drewAnything = true
    }

    func finish() {
        if drewAnything { writeStandardError("\n") }
    }
}
