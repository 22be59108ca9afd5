import CatalogSQL
import ConnectionCatalog
import Foundation
import Testing

/// The catalog's errors say what is wrong (code, message, details) in no language's words; the SQL layer adds
/// the remedy in SQL's, fitted to the statement.
@Suite struct ErrorHintTests {
    @Test func eachErrorGetsTheRemedyOfItsStatement() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        #expect(session.executeBlocking(createFunction).allSatisfy { !$0.isFailure })
        #expect(
            session.executeBlocking(createFunction.replacingOccurrences(of: "CONNECTION fc", with: "CONNECTION other"))
                .allSatisfy { !$0.isFailure })

        let duplicate = try #require(session.executeBlocking(createFunction).first?.error)
        #expect(duplicate.code == "already_exists")
        #expect(duplicate.message == "connection 'fc' already exists; use IF NOT EXISTS or another name")

        // A rename onto a taken name has no IF NOT EXISTS to add.
        let rename = try #require(session.executeBlocking("ALTER CONNECTION other RENAME TO fc").first?.error)
        #expect(rename.message == "connection 'fc' already exists; choose another name")

        let generated = try #require(
            session.executeBlocking("ALTER CONNECTION fc SET EXTERNAL_ID = 'mine'").first?.error)
        #expect(generated.code == "invalid_value")
        #expect(
            generated.message.hasSuffix(
                "cannot be set or unset; use ALTER CONNECTION … ROTATE EXTERNAL_ID to replace it"))
    }

    @Test func theLibrarySaysWhatIsWrongWithoutSQLWords() throws {
        let fixture = try SessionFixture()
        #expect(fixture.session().executeBlocking(createFunction).allSatisfy { !$0.isFailure })
        let missing = try #require(throws: CatalogError.self) {
            try fixture.catalog.writeBlocking { writer in
                try writer.alter(ConnectionName("absent"), .comment("x"))
            }
        }
        #expect(missing.code == .notFound && missing.details["name"] == "absent")
        #expect(missing.details["workspace"] == WorkspaceName.default.rawValue)
        #expect(!missing.message.contains("SHOW"))
        let generated = try #require(throws: CatalogError.self) {
            try fixture.catalog.writeBlocking { writer in
                try writer.alter(ConnectionName("fc"), .set([("EXTERNAL_ID", "mine")]))
            }
        }
        #expect(generated.code == .invalidValue && generated.details["reason"] == "generated")
        #expect(!generated.message.contains("ALTER"))
    }
}
