internal import ConnectionCatalog

/// The statements between BEGIN and COMMIT, and the version of each connection they touch as it was when
/// the transaction first read it (`nil`: it did not exist).
struct PendingTransaction {
    var statements: [ParsedStatement] = []
    var observed: [ConnectionName: UInt64?] = [:]
}

/// Thrown to roll back the write a statement inside BEGIN is checked in, carrying what the statement returned.
struct DryRun: Error {
    let outcome: StatementOutcome
}

extension Session {
    func begin() throws -> StatementOutcome {
        guard transaction == nil else {
            throw CatalogError(
                .unsupported, "a transaction is already open; nested transactions are not supported (COMMIT or ROLLBACK first)")
        }
        transaction = PendingTransaction()
        return .ok(notices: [])
    }

    func rollback() -> StatementOutcome {
        guard let pending = transaction else { return .ok(notices: ["there is no transaction to roll back"]) }
        transaction = nil
        return .ok(notices: pending.statements.isEmpty ? [] : ["discarded \(pending.statements.count) statement(s)"])
    }

    /// Checks a statement inside BEGIN: runs the pending statements and it in a write that is rolled back.
    func check(_ parsed: ParsedStatement) throws -> StatementOutcome {
        guard var pending = transaction else { preconditionFailure("check runs only inside a transaction") }
        // Remember, before anything of this transaction applies, the committed version of what it touches.
        let touched = try parsed.statement.touchedNames()
        let unseen = touched.filter { pending.observed[$0] == nil }
        if !unseen.isEmpty {
            try catalog.read { reader in
                for name in unseen {
                    pending.observed[name] = .some(try reader.connection(named: name, in: workspace)?.version)
                }
            }
        }
        let runner = StatementRunner(session: self)
        do {
            try catalog.write { writer in
                for earlier in pending.statements { _ = try runner.run(earlier.statement, writer) }
                throw DryRun(outcome: try runner.run(parsed.statement, writer))
            }
        } catch let dryRun as DryRun {
            if !parsed.statement.isReadOnly {
                pending.statements.append(parsed)
                transaction = pending
                return .ok(notices: dryRun.outcome.notices + ["pending until COMMIT"])
            }
            transaction = pending
            return dryRun.outcome
        }
        preconditionFailure("a checked statement always ends its write with DryRun")
    }

    /// Replays the pending statements in one write, after checking nothing they touch has moved.
    func commit() throws -> StatementOutcome {
        guard let pending = transaction else { return .ok(notices: ["there is no transaction to commit"]) }
        transaction = nil
        let runner = StatementRunner(session: self)
        try catalog.write { writer in
                for (name, version) in pending.observed {
                    let now = try writer.connection(named: name, in: workspace)?.version
                    guard now == version else {
                        throw CatalogError(
                            .conflict,
                            "connection '\(name)' was changed by someone else after this transaction read it; "
                                + "the transaction was rolled back: run it again",
                            details: ["name": name.rawValue])
                    }
                }
                for statement in pending.statements { _ = try runner.run(statement.statement, writer) }
        }
        return .ok(notices: pending.statements.isEmpty ? [] : ["committed \(pending.statements.count) statement(s)"])
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

extension Statement {
    /// The connection names a statement reads or changes, for the transaction's version checks.
    func touchedNames() throws -> [ConnectionName] {
        switch self {
        case .createConnection(let create): return [try create.name.connectionName()]
        case .dropConnection(let drop): return [try drop.name.connectionName()]
        case .alterConnection(let alter):
            var names = [try alter.name.connectionName()]
            if case .rename(let newName) = alter.action { names.append(try newName.connectionName()) }
            return names
        case .describeConnection(let describe): return [try describe.name.connectionName()]
        default: return []
        }
    }
}

extension SQLIdentifier {
    /// The domain name this identifier spells, checked by the identifier rules.
    func connectionName() throws -> ConnectionName { try ConnectionName(text, quoted: isQuoted) }
}
