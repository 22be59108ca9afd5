import CatalogTestSupport
import ConnectionCatalog
import Testing

@Suite struct CatalogLifecycleTests {
    @Test func createThenReadBack() throws {
        let test = TestCatalog()
        let catalog = try test.open()
        let created = try catalog.writeBlocking { writer in try writer.create(awsFunction("Lambda_One")).connection }
        let read = try catalog.read { reader in try reader.connection(named: name("LAMBDA_ONE")) }
        #expect(read == created)
        #expect(created.name.rawValue == "lambda_one")
        #expect(created.properties[.provider] == "aws")
        #expect(created.properties[.namespace] == "default")
        #expect(created.version == 1 && created.enabled && created.creator == "tester")
        let externalID = try #require(try catalog.read { reader in try reader.externalID(of: created) })
        #expect(externalID.count == 16 && externalID.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    @Test func createExistingNameFailsOrReportsWithIfNotExists() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        let first = try catalog.writeBlocking { writer in try writer.create(awsFunction("dup")).connection }
        let error = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.create(awsFunction("DUP")) }
        }
        #expect(error.code == .alreadyExists && error.details["name"] != nil)
        // The remedy is the caller's to phrase: the library speaks no SQL (the SQL layer adds IF NOT EXISTS).
        #expect(!error.message.contains("IF NOT EXISTS"))
        let outcome = try catalog.writeBlocking { writer in
            try writer.create(awsFunction("dup", region: "us-west-2"), ifNotExists: true)
        }
        guard case .alreadyExists(let existing) = outcome else {
            Issue.record("expected alreadyExists, got \(outcome)")
            return
        }
        #expect(existing == first)
    }

    @Test func invalidCreateWritesNothing() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        var draft = awsFunction("bad")
        draft.properties.append(("NAMESPCE", "x"))
        let error = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.create(draft) }
        }
        #expect(error.code == .unknownProperty)
        #expect(error.message.contains("NAMESPACE"))
        #expect(try catalog.read { reader in try reader.count() } == 0)
    }

    @Test func failingStatementInATransactionRollsBackEarlierChanges() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        #expect(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in
                try writer.create(awsFunction("kept_only_if_all"))
                try writer.alter(name("missing"), .enable)
            }
        }
        #expect(try catalog.read { reader in try reader.count() } == 0)
    }

    @Test func alterBumpsVersionAndKeepsHistory() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        let created = try catalog.writeBlocking { writer in try writer.create(awsFunction("fn")).connection }
        let changed = try catalog.writeBlocking { writer in
            try writer.alter(name("fn"), .comment("first"))
            try writer.alter(name("fn"), .disable)
            try writer.alter(name("fn"), .set([("region", "eu-west-1")]))
            return try writer.alter(name("fn"), .unset(["NAMESPACE"]))
        }
        #expect(changed.version == 5)
        #expect(changed.comment == "first" && !changed.enabled && changed.properties[.region] == "eu-west-1")
        let history = try catalog.read { reader in try reader.history(of: created.id) }
        #expect(history.map(\.version) == [1, 2, 3, 4])
        #expect(history.first == created)
    }

    @Test func expectedVersionMismatchIsAConflict() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        try catalog.writeBlocking { writer in try writer.create(awsFunction("fn")) }
        try catalog.writeBlocking { writer in try writer.alter(name("fn"), expectedVersion: 1, .comment("a")) }
        let error = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.alter(name("fn"), expectedVersion: 1, .comment("b")) }
        }
        #expect(error.code == .conflict)
        #expect(error.details["actual"] == "2")
        #expect(try catalog.read { reader in try reader.connection(named: name("fn"))?.comment } == "a")
    }

    @Test func renameKeepsIDExternalIDAndHistory() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        let created = try catalog.writeBlocking { writer in try writer.create(awsFunction("old_name")).connection }
        let externalID = try catalog.read { reader in try reader.externalID(of: created) }
        let renamed = try catalog.writeBlocking { writer in try writer.rename(name("old_name"), to: name("new_name")) }
        #expect(renamed.id == created.id && renamed.version == 2)
        let (old, renamedExternal, history) = try catalog.read { reader in
            (
                try reader.connection(named: name("old_name")), try reader.externalID(of: renamed),
                try reader.history(of: renamed.id).map(\.name.rawValue)
            )
        }
        #expect(old == nil && renamedExternal == externalID && history == ["old_name"])
        try catalog.writeBlocking { writer in try writer.create(awsFunction("taken")) }
        let error = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.rename(name("new_name"), to: name("taken")) }
        }
        #expect(error.code == .alreadyExists)
    }

    @Test func dropThenCreateGivesNewIDAndExternalID() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        let first = try catalog.writeBlocking { writer in try writer.create(awsFunction("again")).connection }
        let firstExternal = try catalog.read { reader in try reader.externalID(of: first) }
        try catalog.writeBlocking { writer in try writer.drop(name("again")) }
        #expect(try catalog.read { reader in try reader.connection(named: name("again")) } == nil)
        let second = try catalog.writeBlocking { writer in try writer.create(awsFunction("again")).connection }
        #expect(second.id != first.id)
        #expect(try catalog.read { reader in try reader.externalID(of: second) } != firstExternal)
        #expect(try catalog.read { reader in try reader.history(of: first.id).map(\.version) } == [1])
        let error = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.drop(name("never_was")) }
        }
        #expect(error.code == .notFound)
    }

    @Test func rotateExternalIDChangesOnlyThat() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        let created = try catalog.writeBlocking { writer in try writer.create(awsFunction("fn")).connection }
        let before = try catalog.read { reader in try reader.externalID(of: created) }
        let rotated = try catalog.writeBlocking { writer in try writer.rotateExternalID(of: name("fn")) }
        let after = try catalog.read { reader in try reader.externalID(of: rotated) }
        #expect(before != after && after?.count == 16)
        #expect(rotated.properties == created.properties && rotated.version == 2)
        let altered = try catalog.writeBlocking { writer in
            try writer.alter(name("fn"), .set([("REGION", "us-west-1")]))
        }
        #expect(try catalog.read { reader in try reader.externalID(of: altered) } == after)
    }

    @Test func listsByPrefixAndCategoryInNameOrder() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        try catalog.writeBlocking { writer in
            for text in ["b_fn", "a_fn", "ab_fn"] { try writer.create(awsFunction(text)) }
            try writer.create(s3Storage("a_bucket", secret: "s3cr3t-value-000000001"))
        }
        let (all, prefixed, storage, elsewhere) = try catalog.read { reader in
            (
                try reader.connections().map(\.name.rawValue), try reader.connections(prefix: "A").map(\.name.rawValue),
                try reader.connections(category: .storage).map(\.name.rawValue),
                try reader.connections(in: try WorkspaceName("other"))
            )
        }
        #expect(all == ["a_bucket", "a_fn", "ab_fn", "b_fn"])
        #expect(prefixed == ["a_bucket", "a_fn", "ab_fn"])
        #expect(storage == ["a_bucket"] && elsewhere.isEmpty)
    }

    @Test func workspacesKeepNamesApart() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        let other = try WorkspaceName("team_b")
        try catalog.writeBlocking { writer in
            try writer.create(awsFunction("shared"))
            var draft = awsFunction("shared")
            draft.workspace = other
            try writer.create(draft)
        }
        let (a, b) = try catalog.read { reader in
            (try reader.connection(named: name("shared")), try reader.connection(named: name("shared"), in: other))
        }
        #expect(a != nil && b != nil && a?.id != b?.id)
    }

    @Test func asyncWritesGroupCommitAndReturnTheirOwnResults() async throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        try await withThrowingTaskGroup(of: (Int, UInt64).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let created = try await catalog.write { writer in
                        try writer.create(awsFunction("fn_\(index)")).connection
                    }
                    return (index, created.version)
                }
            }
            var seen = Set<Int>()
            for try await (index, version) in group {
                seen.insert(index)
                #expect(version == 1)
            }
            #expect(seen.count == 40)
        }
        #expect(try catalog.read { reader in try reader.count() } == 40)
    }

    @Test func settingsRoundTrip() throws {
        let test = TestCatalog()  // kept alive: it removes the directory when released
        let catalog = try test.open()
        try catalog.setSetting("trust.aws.principal", to: "arn:aws:iam::999999999999:root")
        #expect(try catalog.setting("trust.aws.principal") == "arn:aws:iam::999999999999:root")
        #expect(try catalog.settings().map(\.name) == ["trust.aws.principal"])
        try catalog.setSetting("trust.aws.principal", to: nil)
        #expect(try catalog.setting("trust.aws.principal") == nil)
        #expect(throws: CatalogError.self) { try catalog.setSetting("Bad Name", to: "x") }
        let unknown = try #require(throws: CatalogError.self) { try catalog.setSetting("trust.aws.principle", to: "x") }
        #expect(unknown.code == .invalidValue)
        #expect(unknown.details["suggestion"] == "trust.aws.principal")
        #expect(unknown.details["setting"] == "trust.aws.principle")
        #expect(CatalogSetting.knownNames == Provider.allCases.map { "trust.\($0.rawValue).principal" })
        #expect(try catalog.settings().isEmpty)
    }
}

/// `catch CatalogError.notFound` and `switch` over codes work on any error.
@Suite struct CatalogErrorMatchingTests {
    @Test func aCodeMatchesTheErrorsThatCarryIt() {
        let error: any Error = CatalogError(.notFound, "connection 'x' does not exist")
        #expect(CatalogError.notFound ~= error)
        #expect(!(CatalogError.conflict ~= error))
        #expect(!(CatalogError.notFound ~= CancellationError()))
        do {
            throw error
        } catch CatalogError.conflict {
            Issue.record("matched the wrong code")
        } catch CatalogError.notFound {
            // the code it carries
        } catch {
            Issue.record("did not match: \(error)")
        }
    }
}
