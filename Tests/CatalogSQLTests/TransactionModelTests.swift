import CatalogSQL
import CatalogTestSupport
import ConnectionCatalog
import Testing

/// BEGIN … COMMIT as one optimistic transaction, and autocommitted SQL from many tasks sharing commits.
@Suite struct TransactionModelTests {
    static func create(_ name: String) -> String {
        """
        CREATE API CONNECTION \(name) TYPE = CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1'
            ROLE_ARN = 'arn:aws:iam::123456789012:role/lake' CODE_BUCKET = 'lake-code'
        """
    }

    /// DESC's rows as a dictionary.
    static func describe(_ session: Session, _ name: String) throws -> [String: String] {
        try #require(session.executeBlocking("DESC CONNECTION EXTENDED \(name)").first?.resultSet).info
    }

    @Test func everyGeneratedValueShownInsideBeginIsTheOneCommitted() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking(Self.create("kept"))
        _ = session.executeBlocking("BEGIN")
        _ = session.executeBlocking(Self.create("fresh"))
        _ = session.executeBlocking("ALTER CONNECTION kept ROTATE EXTERNAL_ID")
        _ = session.executeBlocking("ALTER CONNECTION kept SET COMMENT = 'changed'")
        _ = session.executeBlocking(Self.create("renamed_later"))
        _ = session.executeBlocking("ALTER CONNECTION renamed_later RENAME TO renamed")
        let inside = try ["fresh", "kept", "renamed"].map { try Self.describe(session, $0) }
        let committedBefore = try Self.describe(fixture.session(), "kept")
        #expect(inside[1]["EXTERNAL_ID"] != committedBefore["EXTERNAL_ID"], "the rotation is visible inside")
        #expect(session.executeBlocking("COMMIT") == [.ok(notices: ["committed 5 statement(s)"])])
        // A new session reads what was committed: every row the transaction showed, byte for byte, including
        // the external IDs (generated inside), the times, versions and trust policies.
        let after = try ["fresh", "kept", "renamed"].map { try Self.describe(fixture.session(), $0) }
        #expect(after == inside)
        for info in after { #expect(info["EXTERNAL_ID"]?.count == 16) }
    }

    @Test func tenThousandCreatesInOneTransactionCommitAllAtOnce() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking("BEGIN")
        for index in 0..<10_000 {
            let outcome = session.executeBlocking(Self.create("fn_\(index)"))
            guard outcome == [.ok(notices: ["pending until COMMIT"])] else {
                Issue.record("statement \(index): \(outcome)")
                return
            }
        }
        #expect(try fixture.catalog.read { try $0.count() } == 0, "nothing is visible before COMMIT")
        let shown = try #require(session.executeBlocking("SHOW CONNECTIONS LIKE 'fn_999%'").first?.resultSet)
        #expect(shown.rows.count == 11, "SHOW inside the transaction sees the pending creates")
        #expect(session.executeBlocking("COMMIT") == [.ok(notices: ["committed 10000 statement(s)"])])
        #expect(try fixture.catalog.read { try $0.count() } == 10_000)
    }

    @Test func aConflictingCommitOfTenThousandCreatesWritesNothing() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking("BEGIN")
        for index in 0..<10_000 { _ = session.executeBlocking(Self.create("fn_\(index)")) }
        // Another session creates one of the names the transaction read as free.
        #expect(fixture.session().executeBlocking(Self.create("fn_5000")) == [.ok(notices: [])])
        let commit = session.executeBlocking("COMMIT")
        #expect(commit.first?.error?.code == "conflict", "\(commit)")
        #expect(commit.first?.error?.message.contains("'fn_5000'") == true)
        #expect(try fixture.catalog.read { try $0.count() } == 1)
    }

    @Test func showInsideATransactionConflictsWithAConnectionCreatedSince() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking("\(Self.create("a")); BEGIN; SHOW CONNECTIONS; \(Self.create("mine"))")
        _ = fixture.session().executeBlocking(Self.create("b"))
        #expect(session.executeBlocking("COMMIT").first?.error?.code == "conflict")
        let names = try fixture.catalog.read { try $0.connections().map(\.name.rawValue) }
        #expect(names == ["a", "b"])
    }

    @Test func readsInsideATransactionRepeatAndIgnoreLaterCommits() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking("\(Self.create("x")); BEGIN")
        let before = try Self.describe(session, "x")
        _ = fixture.session().executeBlocking("ALTER CONNECTION x SET COMMENT = 'elsewhere'")
        #expect(try Self.describe(session, "x") == before, "a key read twice answers the same")
        #expect(session.executeBlocking("COMMIT").first?.error?.code == "conflict", "it read x, which moved")
    }

    @Test func aTransactionThatReadNothingThatMovedCommitsBesideOtherWriters() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking("\(Self.create("x")); BEGIN; ALTER CONNECTION x SET COMMENT = 'mine'")
        _ = fixture.session().executeBlocking(Self.create("elsewhere"))
        #expect(session.executeBlocking("COMMIT") == [.ok(notices: ["committed 1 statement(s)"])])
        #expect(try fixture.catalog.read { try $0.connection(named: ConnectionName("x"))?.comment } == "mine")
    }

    @Test func concurrentAsyncSQLSharesCommitsAndLosesNothing() async throws {
        let fixture = try SessionFixture()
        let catalog = fixture.catalog
        let before = catalog.committedStorageTransactions
        let tasks = 400
        let failures = await withTaskGroup(of: String?.self) { group in
            for index in 0..<tasks {
                group.addTask {
                    let session = Session(catalog: catalog)
                    let outcomes = await session.execute(Self.create("task_\(index)"))
                    return outcomes == [.ok(notices: [])] ? nil : "\(index): \(outcomes)"
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        #expect(failures.isEmpty)
        #expect(try catalog.read { try $0.count() } == tasks, "every create is there")
        let commits = catalog.committedStorageTransactions - before
        #expect(commits < tasks / 2, "\(tasks) creates took \(commits) storage commits")
    }

    @Test func asyncTransactionsFromManyTasksCommitThroughTheSharedWriter() async throws {
        let fixture = try SessionFixture()
        let catalog = fixture.catalog
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    let session = Session(catalog: catalog)
                    var script = "BEGIN;"
                    for index in 0..<20 { script += Self.create("t\(task)_\(index)") + ";" }
                    script += "COMMIT"
                    let outcomes = await session.execute(script)
                    #expect(outcomes.last == .ok(notices: ["committed 20 statement(s)"]))
                }
            }
        }
        #expect(try catalog.read { try $0.count() } == 16 * 20)
    }
}
