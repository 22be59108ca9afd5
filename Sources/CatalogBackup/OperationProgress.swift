/// How far a long operation (backup, verify, restore, export, import) has come, for a progress display.
///
/// An operation runs in phases; within one, `done` grows from 0 to `total`. Handlers are called on the
/// operation's own thread, often: keep them cheap.
public struct OperationProgress: Sendable, Hashable {
    /// What a phase counts.
    public enum Unit: String, Sendable, Hashable {
        case records
        case bytes
    }

    /// A short label for the phase, such as `checking the data file`.
    public var phase: String
    public var unit: Unit
    public var done: Int
    public var total: Int

    public init(phase: String, unit: Unit, done: Int, total: Int) {
        self.phase = phase
        self.unit = unit
        self.done = done
        self.total = total
    }
}

/// Receives progress reports; `nil` where nobody watches.
public typealias ProgressHandler = (OperationProgress) -> Void
