public import ConnectionCatalog
public import Logging

/// Executes SQL statements against a catalog for one user: the shell, a script, or a service request.
///
/// Each statement commits on its own, unless it sits between BEGIN and COMMIT: then it is checked when it
/// arrives (run against the catalog plus the statements before it, in a write that is rolled back) and kept;
/// COMMIT replays them all in one write, first checking that no connection they touch has changed since it
/// was first read, and fails with `conflict` if one has. No LMDB transaction stays open between statements.
///
/// A session is used by one caller at a time; it is not `Sendable`.
public final class Session {
    public let catalog: Catalog
    public let workspace: WorkspaceName
    let logger: Logger?
    var transaction: PendingTransaction?

    public init(catalog: Catalog, workspace: WorkspaceName = .default, logger: Logger? = nil) {
        self.catalog = catalog
        self.workspace = workspace
        self.logger = logger
    }

    /// Whether a BEGIN is open.
    public var isInTransaction: Bool { transaction != nil }

    /// Runs every statement of `text` in order, one outcome each; stops after the first failure, leaving the
    /// statements before it as they are (committed, or pending in an open transaction).
    public func execute(_ text: String) -> [StatementOutcome] {
        var outcomes: [StatementOutcome] = []
        for parsed in Parser.statements(in: text) {
            let outcome: StatementOutcome
            switch parsed {
            case .success(let statement): outcome = execute(statement)
            case .failure(let error): outcome = .failure(StatementError.render(error))
            }
            outcomes.append(outcome)
            if outcome.isFailure { break }
        }
        return outcomes
    }

    /// Runs one parsed statement.
    public func execute(_ parsed: ParsedStatement) -> StatementOutcome {
        logger?.debug("statement", metadata: ["sql": "\(parsed.statement.redactedForDisplay.sqlText)"])
        do {
            switch parsed.statement {
            case .begin: return try begin()
            case .commit: return try commit()
            case .rollback: return rollback()
            default:
                if transaction != nil { return try check(parsed) }
                if parsed.statement.isReadOnly {
                    return try catalog.read { reader in try StatementRunner(session: self).query(parsed.statement, reader) }
                }
                return try catalog.write { writer in try StatementRunner(session: self).apply(parsed.statement, writer) }
            }
        } catch let error as CatalogError {
            logger?.info("statement failed", metadata: ["code": "\(error.code)"])
            return .failure(StatementError.render(error, in: parsed))
        } catch {
            return .failure(StatementError.render(CatalogError(.ioError, "the statement failed: \(error)"), in: parsed))
        }
    }
}

extension Statement {
    /// DESC and SHOW change nothing.
    var isReadOnly: Bool {
        switch self {
        case .describeConnection, .showConnections: true
        default: false
        }
    }
}
