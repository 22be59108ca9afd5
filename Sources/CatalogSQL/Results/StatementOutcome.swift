/// What one statement produced: a result set, success without one, or a failure.
///
/// The executor returns one outcome per statement, in order; an `OutputFormat` turns each into text. A failed
/// statement does not undo earlier ones, so a script yields a sequence of outcomes, not a single verdict.
public enum StatementOutcome: Sendable, Equatable {
    /// The statement returned rows (`DESC`, `SHOW`).
    case resultSet(ResultSet)
    /// The statement succeeded without returning rows (`CREATE`, `ALTER`, `DROP`, `BEGIN`, …).
    case ok(notices: [String])
    /// The statement failed; nothing it would have changed was changed.
    case failure(RenderedError)

    /// Whether this outcome is a failure; the `catalog` program exits with status 1 when any statement fails.
    public var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
