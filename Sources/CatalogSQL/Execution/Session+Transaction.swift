internal import ConnectionCatalog
internal import Logging

/// The open BEGIN of a session: its optimistic catalog transaction and how many changing statements it holds.
struct OpenTransaction {
    let transaction: CatalogTransaction
    var statementCount = 0

    var committedOutcome: StatementOutcome {
        .ok(notices: statementCount == 0 ? [] : ["committed \(statementCount) statement(s)"])
    }
}

/// What is left of a statement once everything that needs no write lock has run: a change to commit on its
/// own, or the COMMIT of the open transaction. The sync and async entry points differ only in how they do it.
enum CommitWork {
    case autocommit(Statement)
    case commit(OpenTransaction)
}

extension Session {
    /// Runs `parsed` up to its commit, which `commit` performs; every error becomes the statement's failure.
    func outcome(
        of parsed: ParsedStatement, commit: (CommitWork) async throws -> StatementOutcome
    ) async -> StatementOutcome {
        do {
            switch try prepare(parsed) {
            case .done(let outcome): return outcome
            case .needs(let work): return try await commit(work)
            }
        } catch {
            return failure(error, in: parsed)
        }
    }

    /// `outcome(of:commit:)` for the blocking entry point.
    func outcomeBlocking(
        of parsed: ParsedStatement, commit: (CommitWork) throws -> StatementOutcome
    ) -> StatementOutcome {
        do {
            switch try prepare(parsed) {
            case .done(let outcome): return outcome
            case .needs(let work): return try commit(work)
            }
        } catch {
            return failure(error, in: parsed)
        }
    }

    enum Prepared {
        case done(StatementOutcome)
        case needs(CommitWork)
    }

    /// Everything of a statement that never waits for the writer: BEGIN, ROLLBACK, reads, and statements
    /// inside a transaction (one step each, against the snapshot under the pending changes).
    private func prepare(_ parsed: ParsedStatement) throws -> Prepared {
        logger?.debug("statement", metadata: ["sql": "\(parsed.statement.redactedForDisplay.sqlText)"])
        let runner = StatementRunner(workspace: workspace)
        switch parsed.statement {
        case .begin:
            guard transaction == nil else {
                throw CatalogError(
                    .unsupported,
                    "a transaction is already open; nested transactions are not supported (COMMIT or ROLLBACK first)")
            }
            transaction = OpenTransaction(transaction: catalog.beginTransaction())
            return .done(.ok(notices: []))
        case .rollback:
            guard let open = transaction else { return .done(.ok(notices: [Self.noTransactionWarning("ROLLBACK")])) }
            transaction = nil
            open.transaction.rollback()
            return .done(
                .ok(notices: open.statementCount == 0 ? [] : ["discarded \(open.statementCount) statement(s)"]))
        case .commit:
            guard let open = transaction else { return .done(.ok(notices: [Self.noTransactionWarning("COMMIT")])) }
            transaction = nil
            return .needs(.commit(open))
        default:
            if var open = transaction {
                let outcome = try open.transaction.step { writer in try runner.run(parsed.statement, writer) }
                guard !parsed.statement.isReadOnly else { return .done(outcome) }
                open.statementCount += 1
                transaction = open
                return .done(.ok(notices: outcome.notices + ["pending until COMMIT"]))
            }
            if parsed.statement.isReadOnly {
                return .done(try catalog.read { reader in try runner.query(parsed.statement, reader) })
            }
            return .needs(.autocommit(parsed.statement))
        }
    }

    /// The warning of a COMMIT or ROLLBACK without BEGIN: it succeeds (like psql's), but says it did nothing.
    static func noTransactionWarning(_ statement: String) -> String {
        "WARNING: there is no transaction in progress; \(statement) did nothing (BEGIN starts one)"
    }

    private func failure(_ error: any Error, in parsed: ParsedStatement) -> StatementOutcome {
        guard let error = error as? CatalogError else {
            return .failure(StatementError.render(CatalogError(.ioError, "the statement failed: \(error)"), in: parsed))
        }
        logger?.info("statement failed", metadata: ["code": "\(error.code)"])
        return .failure(StatementError.render(error, in: parsed))
    }
}

extension StatementOutcome {
    var notices: [String] {
        switch self {
        case .ok(let notices): notices
        case .resultSet(let result): result.notices
        case .failure: []
        }
    }
}

extension SQLIdentifier {
    /// The domain name this identifier spells, checked by the identifier rules. (The lexer and parser have
    /// already held an unquoted one to SQL's own rules: a leading letter or underscore, not a keyword.)
    func connectionName() throws -> ConnectionName { try ConnectionName(text) }
}
