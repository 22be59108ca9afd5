import CatalogTestSupport
import Foundation
import Testing

/// BEGIN / COMMIT / ROLLBACK through the binary, and a conflict made by a second process.
@Suite struct TransactionTests {
    @Test func commitAppliesEveryStatement() throws {
        let home = CatalogHome()
        let outcomes = try home.sql("BEGIN; \(SQLFixture.api("a")); \(SQLFixture.s3("b")); COMMIT;")
        #expect(
            outcomes == [
                .ok(notices: []), .ok(notices: ["pending until COMMIT"]), .ok(notices: ["pending until COMMIT"]),
                .ok(notices: ["committed 2 statement(s)"]),
            ])
        #expect(try home.names() == ["a", "b"])
    }

    @Test func rollbackAppliesNothing() throws {
        let home = CatalogHome()
        try home.sql("BEGIN; \(SQLFixture.api("a")); ROLLBACK;")
        #expect(try home.names().isEmpty)
    }

    @Test func inputEndingInsideBeginRollsBackAndFails() throws {
        let home = CatalogHome()
        let run = try home.run(["--format", "json", "-e", "BEGIN; \(SQLFixture.api("a"))"])
        #expect(run.status == 1)
        #expect(try run.outcomes().last?.notices.first?.contains("rolled back") == true)
        #expect(try home.names().isEmpty)
    }

    @Test func aFailingStatementInsideBeginIsRefusedAndTheTransactionStaysOpen() throws {
        try #require(ShellSession.isAvailable, "needs util-linux script")
        let home = CatalogHome()
        let shell = try ShellSession(home)
        #expect(try shell.send("BEGIN;") == .ok(notices: []))
        #expect(try shell.send(SQLFixture.api("a") + ";").isOK)
        #expect(
            try shell.send(SQLFixture.api("a") + ";").errorCode == "already_exists",
            "checked against the pending CREATE")
        #expect(try shell.send("DROP CONNECTION never_there;").errorCode == "not_found")
        #expect(try shell.send(SQLFixture.api("b") + ";").isOK)
        #expect(shell.output.contains("catalog*> "), "the prompt shows the open transaction")
        #expect(try home.names().isEmpty, "nothing is visible before COMMIT")
        #expect(try shell.send("COMMIT;") == .ok(notices: ["committed 2 statement(s)"]))
        try shell.quit()
        #expect(try home.names() == ["a", "b"])
    }

    @Test func conflictingChangeFromAnotherProcess() throws {
        try #require(ShellSession.isAvailable, "needs util-linux script")
        let home = CatalogHome()
        try home.sql(SQLFixture.api("x", comment: "original"))
        let shell = try ShellSession(home)
        try shell.send("BEGIN;")
        #expect(try shell.send("ALTER CONNECTION x SET COMMENT = 'from a';").isOK)
        // Process B changes x between A's ALTER and A's COMMIT.
        #expect(try home.sql("ALTER CONNECTION x SET COMMENT = 'from b'") == [.ok(notices: [])])
        let outcome = try shell.send("COMMIT;")
        try shell.quit()
        guard case .error(let code, let message, _, _) = outcome else {
            Issue.record("expected conflict, got \(outcome)")
            return
        }
        #expect(code == "conflict")
        #expect(message.contains("connection 'x' was changed by someone else"))
        #expect(try home.describe("x")["comment"] == "from b")
    }
}
