/// What a session does with the rest of a text after one of its statements fails: `stop` (the default, like
/// psql's `ON_ERROR_STOP`) or `continue` with the next statement.
public enum FailurePolicy: String, Sendable, CaseIterable {
    case stop
    case `continue`
}

/// The outcomes of the statements of one text, and the statements that a failure left unrun.
public struct TextOutcome: Sendable, Equatable {
    /// One outcome per statement that ran, in order.
    public var outcomes: [StatementOutcome]
    /// The statements after a failure that did not run (`FailurePolicy.stop`), each described without a secret:
    /// its redacted SQL text, or its line when it does not parse (its text might hold a secret).
    public var skipped: [String]

    /// Whether a statement failed.
    public var failed: Bool { outcomes.contains(where: \.isFailure) }

    /// A notice for people naming the statements that did not run, or `nil` when none was skipped.
    public var skippedNotice: String? {
        guard !skipped.isEmpty else { return nil }
        let count = skipped.count == 1 ? "1 later statement was" : "\(skipped.count) later statements were"
        return "\(count) not run after the error: " + skipped.joined(separator: "; ")
    }
}

extension Session {
    /// Runs every statement of `text` in order, like `executeBlocking(_:firstLine:)`, and after a failure
    /// either stops, naming the statements it did not run, or goes on with the next one.
    public func executeBlocking(_ text: String, firstLine: Int = 1, onFailure policy: FailurePolicy) -> TextOutcome {
        var result = TextOutcome(outcomes: [], skipped: [])
        var stopped = false
        for parsed in Parser.statements(in: text, firstLine: firstLine) {
            if stopped {
                switch parsed {
                case .success(let statement): result.skipped.append(statement.statement.redactedForDisplay.sqlText)
                case .failure(let error): result.skipped.append("a statement that does not parse (line \(error.line))")
                }
                continue
            }
            let outcome: StatementOutcome
            switch parsed {
            case .success(let statement): outcome = executeBlocking(statement)
            case .failure(let error): outcome = .failure(StatementError.render(error))
            }
            result.outcomes.append(outcome)
            if outcome.isFailure && policy == .stop { stopped = true }
        }
        return result
    }
}
