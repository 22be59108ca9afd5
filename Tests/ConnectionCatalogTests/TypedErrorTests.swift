import ConnectionCatalog
import Testing

/// `read`, `write`, `writeBlocking`, `step` and every method of the reader and the writer throw `CatalogError`
/// only (typed throws): a caller's `catch` reads `error.code` without a cast. These tests would not compile if
/// any of them threw `any Error`.
@Suite struct TypedErrorTests {
    struct CallersOwnError: Error, Equatable { let reason: String }

    @Test func aReadersFailureArrivesAsACatalogErrorWithoutACast() throws {
        let test = TestCatalog()
        let catalog = try test.open()
        do {
            _ = try catalog.writeBlocking { writer in try writer.drop(name("missing")) }
            Issue.record("dropping a missing connection succeeded")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.details["name"] == "missing")
        }
        let reader: (CatalogReader) throws(CatalogError) -> Connection? = { reader throws(CatalogError) in
            try reader.connection(named: name("missing"))
        }
        #expect(try catalog.read(reader) == nil)
    }

    @Test func theBodysOwnErrorIsAbortedWithTheErrorKeptAndNothingWritten() async throws {
        let test = TestCatalog()
        let catalog = try test.open()
        do {
            _ = try catalog.writeBlocking { writer in
                try writer.create(awsFunction("blocking"))
                throw CallersOwnError(reason: "changed my mind")
            }
            Issue.record("the write succeeded")
        } catch {
            #expect(error.code == .aborted)
            #expect(error.underlying as? CallersOwnError == CallersOwnError(reason: "changed my mind"))
        }
        do {
            _ = try await catalog.write { writer in
                try writer.create(awsFunction("async"))
                throw CallersOwnError(reason: "async")
            }
            Issue.record("the async write succeeded")
        } catch CatalogError.aborted {
        }
        let transaction = catalog.beginTransaction()
        do {
            _ = try transaction.step { writer in
                try writer.create(awsFunction("stepped"))
                throw CallersOwnError(reason: "step")
            }
            Issue.record("the step succeeded")
        } catch {
            #expect(error.code == .aborted)
        }
        try await transaction.commit()
        #expect(try catalog.read { reader in try reader.connections() }.isEmpty)
    }

    @Test func aCatalogErrorThrownByTheBodyArrivesUnchanged() throws {
        let test = TestCatalog()
        let catalog = try test.open()
        try catalog.writeBlocking { writer in try writer.create(awsFunction("taken")) }
        do {
            _ = try catalog.writeBlocking { writer in
                try writer.create(awsFunction("second"))
                return try writer.create(awsFunction("taken"))
            }
            Issue.record("creating a taken name succeeded")
        } catch {
            #expect(error.code == .alreadyExists)
        }
        #expect(try catalog.read { reader in try reader.count() } == 1)
    }
}

extension TypedErrorTests {
    @Test func theChangeFeedThrowsCatalogErrorsTyped() async throws {
        let test = TestCatalog()
        let catalog = try test.open()
        try catalog.writeBlocking { writer in try writer.create(awsFunction("fed")) }
        var iterator = catalog.changes(after: 0).makeAsyncIterator()
        let first: CatalogFeedEvent?
        do {
            first = try await iterator.next()
        } catch {
            // A typed `catch`: this line would not compile if `next()` threw `any Error`.
            Issue.record("the feed failed: \(error.code)")
            return
        }
        #expect(first?.change?.kind == .create)
    }
}
