public import ConnectionCatalog
public import Logging

/// Executes SQL statements against a catalog for one user: the shell, a script, or a service request.
///
/// Each statement commits on its own, unless it sits between BEGIN and COMMIT. Autocommitted changes from
/// async callers (`execute(_:)`) go through the catalog's group-committed async write, so many sessions share
/// commits and no thread of the cooperative pool waits for the writer; `executeBlocking(_:)` is the same for
/// threads that may block (the CLI). Between BEGIN and COMMIT the session keeps one optimistic transaction
/// (`CatalogTransaction`): each statement runs once, against the committed state under the transaction's own
/// changes, and COMMIT writes them all at once, or nothing, with `conflict`, if another writer changed what
/// the transaction read. No storage transaction stays open between statements.
///
/// A session is used by one caller at a time; it is not `Sendable`.
public final class Session {
    public let catalog: Catalog
    public let workspace: WorkspaceName
    let logger: Logger?
    var transaction: OpenTransaction?

    public init(catalog: Catalog, workspace: WorkspaceName = .default, logger: Logger? = nil) {
        self.catalog = catalog
        self.workspace = workspace
        self.logger = logger
    }

    /// Whether a BEGIN is open.
    public var isInTransaction: Bool { transaction != nil }

    /// Runs every statement of `text` in order, one outcome each; stops after the first failure, leaving the
    /// statements before it as they are (committed, or pending in an open transaction). Never blocks a thread.
    /// `firstLine` is the line of a larger input where `text` starts (for the positions of errors).
    ///
    /// The session keeps secret values only in wiped storage, from its copy of `text` to the seal; `text` itself
    /// is the caller's `String`, which Swift cannot wipe, so keep text holding a secret short-lived.
    public func execute(_ text: String, firstLine: Int = 1) async -> [StatementOutcome] {
        var outcomes: [StatementOutcome] = []
        for parsed in Parser.statements(in: text, firstLine: firstLine) {
            let outcome: StatementOutcome
            switch parsed {
            case .success(let statement): outcome = await execute(statement)
            case .failure(let error): outcome = .failure(StatementError.render(error))
            }
            outcomes.append(outcome)
            if outcome.isFailure { break }
        }
        return outcomes
    }

    /// `execute(_:)` for threads that may block: changes commit before it returns.
    public func executeBlocking(_ text: String, firstLine: Int = 1) -> [StatementOutcome] {
        var outcomes: [StatementOutcome] = []
        for parsed in Parser.statements(in: text, firstLine: firstLine) {
            let outcome: StatementOutcome
            switch parsed {
            case .success(let statement): outcome = executeBlocking(statement)
            case .failure(let error): outcome = .failure(StatementError.render(error))
            }
            outcomes.append(outcome)
            if outcome.isFailure { break }
        }
        return outcomes
    }

    /// Runs one parsed statement; an autocommitted change shares a group commit with other async writers.
    public func execute(_ parsed: ParsedStatement) async -> StatementOutcome {
        await outcome(of: parsed) { work in
            switch work {
            case .autocommit(let statement):
                let runner = StatementRunner(workspace: workspace)
                return try await catalog.write { writer in try runner.apply(statement, writer) }
            case .commit(let open):
                try await open.transaction.commit()
                return open.committedOutcome
            }
        }
    }

    /// `execute(_:)` for threads that may block.
    public func executeBlocking(_ parsed: ParsedStatement) -> StatementOutcome {
        outcomeBlocking(of: parsed) { work in
            switch work {
            case .autocommit(let statement):
                let runner = StatementRunner(workspace: workspace)
                return try catalog.writeBlocking { writer in try runner.apply(statement, writer) }
            case .commit(let open):
                try open.transaction.commitBlocking()
                return open.committedOutcome
            }
        }
    }
}

extension Statement {
    /// DESC and SHOW change nothing.
    var isReadOnly: Bool {
        switch self {
        case .describeConnection, .showConnections, .showConnectionHistory: true
        default: false
        }
    }
}

@available(*, unavailable)
extension Session: Sendable {}
