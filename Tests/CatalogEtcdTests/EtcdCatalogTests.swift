import CatalogEtcd
import CatalogSealing
import CatalogStorage
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Testing

/// The catalog API on a real 3-member etcd cluster: the same behaviour as on LMDB, through `EtcdStore`.
@Suite(.sharedEtcdCluster)
struct EtcdCatalogTests {
    @Test func createGetListAlterRenameDropAndHistory() throws {
        let test = EtcdTestCatalog("api")
        let catalog = try test.open()
        #expect(catalog.isOnStore && catalog.schemaVersion == Catalog.currentSchemaVersion)
        let created = try catalog.writeBlocking { writer in try writer.create(awsFunction("fn")).connection }
        try catalog.writeBlocking { writer in
            try writer.create(s3Storage("lake", secret: "wJalrXUtnFEMI0000000000000000000000EXAMPLE"))
        }
        let again = try catalog.writeBlocking { writer in try writer.create(awsFunction("fn"), ifNotExists: true) }
        guard case .alreadyExists(let existing) = again else {
            Issue.record("IF NOT EXISTS created again")
            return
        }
        #expect(existing.id == created.id)
        let duplicate = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.create(awsFunction("fn")) }
        }
        #expect(duplicate.code == .alreadyExists)

        #expect(try catalog.read { reader in try reader.connection(named: name("FN")) } == created)
        #expect(try catalog.read { reader in try reader.connections().map(\.name.rawValue) } == ["fn", "lake"])
        #expect(
            try catalog.read { reader in try reader.connections(category: .storage).map(\.name.rawValue) } == ["lake"])
        #expect(try catalog.read { reader in try reader.summaries(prefix: "l").map(\.name.rawValue) } == ["lake"])
        #expect(try catalog.read { reader in try reader.count() } == 2)

        let altered = try catalog.writeBlocking { writer in
            try writer.alter(name("fn"), .comment("first"))
            try writer.alter(name("fn"), .disable)
            return try writer.alter(name("fn"), .set([("REGION", "eu-west-1")]))
        }
        #expect(altered.version == 4 && altered.comment == "first" && !altered.enabled)
        let stale = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.alter(name("fn"), expectedVersion: 1, .enable) }
        }
        #expect(stale.code == .conflict)

        let externalID = try catalog.read { reader in try reader.externalID(of: altered) }
        let renamed = try catalog.writeBlocking { writer in try writer.rename(name("fn"), to: name("renamed")) }
        #expect(renamed.id == created.id && renamed.version == 5)
        #expect(try catalog.read { reader in try reader.externalID(ofConnectionNamed: name("renamed")) } == externalID)
        #expect(try catalog.read { reader in try reader.connection(named: name("fn")) } == nil)

        let rotated = try catalog.writeBlocking { writer in try writer.rotateExternalID(of: name("renamed")) }
        let rotatedID = try catalog.read { reader in try reader.externalID(of: rotated) }
        #expect(rotatedID != externalID && rotatedID?.count == 16)

        try catalog.writeBlocking { writer in try writer.drop(name("renamed")) }
        let history = try catalog.read { reader in try reader.history(of: created.id) }
        #expect(history.map(\.version) == [1, 2, 3, 4, 5, 6])
        #expect(history.first == created)
        let missing = try #require(throws: CatalogError.self) {
            try catalog.writeBlocking { writer in try writer.drop(name("renamed")) }
        }
        #expect(missing.code == .notFound)
        #expect(try catalog.read { reader in try reader.count() } == 1)
    }

    @Test func settingsAndAsyncWrites() async throws {
        let test = EtcdTestCatalog("settings")
        let catalog = try test.open()
        try catalog.setSetting("trust.aws.principal", to: "arn:aws:iam::999999999999:root")
        #expect(try catalog.setting("trust.aws.principal") == "arn:aws:iam::999999999999:root")
        #expect(try catalog.settings().map(\.name) == ["trust.aws.principal"])
        let unknown = try #require(throws: CatalogError.self) { try catalog.setSetting("trust.aws.principle", to: "x") }
        #expect(unknown.code == .invalidValue)
        try catalog.setSetting("trust.aws.principal", to: nil)
        #expect(try catalog.settings().isEmpty)

        let version = try await catalog.write { writer in try writer.create(awsFunction("async_fn")).connection.version
        }
        #expect(version == 1)
        #expect(try catalog.read { reader in try reader.count() } == 1)
    }

    @Test func sealedValuesOpenFromAnotherClientThroughAnotherMember() throws {
        let test = EtcdTestCatalog("sealed")
        let first = try test.open(member: 0)
        let secret = "wJalrXUtnFEMI0000000000000000000000EXAMPLE"
        let created = try first.writeBlocking { writer in
            try writer.create(s3Storage("lake", secret: secret)).connection
        }
        let externalID = try first.read { reader in try reader.externalID(of: created) }
        let second = try test.open(member: 2)
        #expect(second.catalogID == first.catalogID)
        let (seenExternalID, seenSecret) = try second.read { reader in
            (
                try reader.externalID(ofConnectionNamed: name("lake")),
                try reader.withSecret(.secretAccessKey, ofConnectionNamed: name("lake")) {
                    String(decoding: $0, as: UTF8.self)
                }
            )
        }
        #expect(seenExternalID == externalID && seenExternalID?.count == 16)
        #expect(seenSecret == secret)
    }

    @Test func transactionConflictsWithASecondClient() throws {
        let test = EtcdTestCatalog("txn")
        let mine = try test.open(member: 0)
        let theirs = try test.open(member: 1)
        try mine.writeBlocking { writer in try writer.create(awsFunction("shared")) }

        let transaction = mine.beginTransaction()
        try transaction.step { writer in try writer.alter(name("shared"), .comment("mine")) }
        try transaction.step { writer in try writer.create(awsFunction("also_mine")) }
        #expect(try transaction.step { writer in try writer.connection(named: name("shared"))?.comment } == "mine")
        try theirs.writeBlocking { writer in try writer.alter(name("shared"), .comment("theirs")) }
        let error = try #require(throws: CatalogError.self) { try transaction.commitBlocking() }
        #expect(error.code == .conflict)
        #expect(error.details["name"] == "shared")
        #expect(try mine.read { reader in try reader.connection(named: name("shared"))?.comment } == "theirs")
        #expect(try mine.read { reader in try reader.connection(named: name("also_mine")) } == nil)

        let clean = mine.beginTransaction()
        try clean.step { writer in try writer.alter(name("shared"), .comment("mine at last")) }
        try clean.step { writer in try writer.create(awsFunction("also_mine")) }
        try clean.commitBlocking()
        #expect(try theirs.read { reader in try reader.connections().map(\.name.rawValue) } == ["also_mine", "shared"])
    }

    @Test func wrongKeyAndMissingKeyFileAreRefused() throws {
        let test = EtcdTestCatalog("wrongkey")
        _ = try test.open()
        let other = TemporaryDirectory("etcd-wrong-key")
        let wrongFile = other.appending("other.key")
        _ = try MasterKeySource.keyFile(path: wrongFile).resolve()
        let wrong = try #require(throws: CatalogError.self) { try test.open(keySource: .keyFile(path: wrongFile)) }
        #expect(wrong.code == .wrongKey)
        let missingFile = other.appending("missing.key")
        let missing = try #require(throws: CatalogError.self) { try test.open(keySource: .keyFile(path: missingFile)) }
        #expect(missing.code == .wrongKey)
        #expect(!FileManager.default.fileExists(atPath: missingFile))

        var mustExist = Catalog.Options(creator: "tester")
        mustExist.mustExist = true
        let none = try #require(throws: CatalogError.self) {
            try EtcdTestCatalog("nothing").open(options: mustExist)
        }
        #expect(none.code == .notFound && none.details["reason"] == "no_catalog")
    }

    @Test func damagedMetadataIsRefusedAndNeverReinitialised() throws {
        let test = EtcdTestCatalog("damaged")
        let catalog = try test.open()
        try catalog.writeBlocking { writer in try writer.create(awsFunction("kept")) }
        let store = try test.store()
        let meta = try store.keyspace("meta")
        let deleted = try store.writeBlocking { writer in try writer.delete(try RecordKey("check_value"), in: meta) }
        #expect(deleted)
        let partial = try #require(throws: CatalogError.self) { try test.open() }
        #expect(partial.code == .integrityError && partial.details["reason"] == "damaged_metadata")

        try store.writeBlocking { writer in
            for entry in try writer.entries(in: meta) { try writer.delete(try RecordKey(entry.key), in: meta) }
        }
        let gone = try #require(throws: CatalogError.self) { try test.open() }
        #expect(gone.code == .integrityError && gone.details["reason"] == "damaged_metadata")
        #expect(try store.read { snapshot in try snapshot.count(of: meta) } == 0)
        #expect(try store.read { snapshot in try snapshot.count(of: try store.keyspace("connections")) } == 1)
    }

    @Test func concurrentCreatesOfOneNameThroughTwoClientsLeaveOneWinner() async throws {
        // Staging reads of concurrent writes are grouped and served by any member (serializable); a name taken
        // meanwhile still fails every other create with already_exists, judged on the leader's state.
        let test = EtcdTestCatalog("race")
        let (first, second) = (try test.open(), try test.open())
        let outcomes = try await withThrowingTaskGroup(of: CatalogError.Code?.self) { group in
            for index in 0..<24 {
                let catalog = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    do {
                        try await catalog.write { writer in _ = try writer.create(awsFunction("contested")) }
                        return nil
                    } catch let error as CatalogError {
                        return error.code
                    }
                }
            }
            var outcomes: [CatalogError.Code?] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.filter { $0 == .alreadyExists }.count == 23)
        #expect(try first.read { reader in try reader.count() } == 1)
        #expect(try second.read { reader in try reader.connections().map(\.name.rawValue) } == ["contested"])
    }

    @Test(arguments: [1, 2])
    func anOlderSchemaIsMigratedAtOpenOnceWhenTwoClientsOpenAtOnce(_ old: Int) async throws {
        let test = EtcdTestCatalog("schema\(old)")
        var oldProgram = Catalog.Options(creator: "tester")
        oldProgram.schemaVersion = old
        let before = try test.open(options: oldProgram)
        #expect(before.schemaVersion == old)
        let kept = try before.writeBlocking { writer in try writer.create(awsFunction("kept")).connection }
        let keptID = try before.read { reader in try reader.externalID(of: kept) }

        // A read-only open writes nothing, so it does not migrate.
        var readOnly = Catalog.Options(creator: "tester")
        readOnly.readOnly = true
        #expect(try test.open(options: readOnly).schemaVersion == old)

        // Two clients of this program open it at the same moment: the migration commits once (the loser of the
        // race finds it done), and both work at the current schema.
        let opened = try await withThrowingTaskGroup(of: Catalog.self) { group in
            for member in 0..<2 { group.addTask { try test.open(member: member) } }
            var opened: [Catalog] = []
            for try await catalog in group { opened.append(catalog) }
            return opened
        }
        for catalog in opened { #expect(catalog.schemaVersion == Catalog.currentSchemaVersion) }
        #expect(try test.open(options: readOnly).schemaVersion == Catalog.currentSchemaVersion)

        // What the old schema held is all there; what it lacked (history, the change log) works from now on.
        let after = opened[0]
        #expect(try after.read { reader in try reader.externalID(ofConnectionNamed: name("kept")) } == keptID)
        let start = try after.latestChangeRevision()
        try after.writeBlocking { writer in
            _ = try writer.create(awsFunction("new"))
            try writer.alter(name("kept"), .comment("after the migration"))
        }
        var told: [String] = []
        for try await event in after.changes(after: start, through: try after.latestChangeRevision()) {
            if case .change(let change) = event { told.append("\(change.kind) \(change.name)") }
        }
        #expect(told.sorted() == ["alter kept", "create new"])
        #expect(try after.read { reader in try reader.history(of: kept.id) }.map(\.version) == [1])
    }

    @Test func lmdbOnlyOperationsSayWhatWorks() throws {
        let catalog = try EtcdTestCatalog("lmdb-only").open()
        let error = try #require(throws: CatalogError.self) { try catalog.verifyRecords() }
        #expect(
            error.code == .unsupported && error.message.contains("rotate-key") && error.details["reason"] == "lmdb_only"
        )
        let stats = try catalog.stats()
        #expect(stats.connections == 0 && stats.storage.description.hasPrefix("store: etcd://"))
    }
}

/// A catalog under a prefix of its own on the suite's cluster, keyed by a key file in a temporary directory.
struct EtcdTestCatalog {
    let prefix: String
    let directory = TemporaryDirectory("etcd-catalog")
    var keyFile: String { directory.appending("master.key") }

    init(_ label: String) { prefix = freshPrefix("catalog-\(label)") }

    /// The catalog's store, reached through member `member` first.
    func store(member: Int = 0) throws -> EtcdStore {
        let cluster = SharedEtcdCluster.cluster
        var options = EtcdStore.Options(keyspaces: Catalog.storeKeyspaces)
        options.giveUpAfter = .seconds(20)
        let endpoints = Array(cluster.endpoints[member...] + cluster.endpoints[..<member])
        return try EtcdStore.open(endpoints: endpoints, prefix: prefix, options: options)
    }

    func open(
        member: Int = 0, keySource: MasterKeySource? = nil,
        options: Catalog.Options = Catalog.Options(creator: "tester")
    ) throws -> Catalog {
        try Catalog.open(
            store: try store(member: member), description: "etcd://test/\(prefix)",
            keySource: keySource ?? .keyFile(path: keyFile), options: options)
    }
}

func name(_ text: String) -> ConnectionName {
    // Test names are literals: a failure here is a bug in the test.
    try! ConnectionName(text)
}

func awsFunction(_ text: String) -> ConnectionDraft {
    ConnectionDraft(
        name: name(text), type: .cloudFunction,
        properties: [
            ("PROVIDER", "AWS"), ("REGION", "us-east-1"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/lakehouse"),
            ("CODE_BUCKET", "lakehouse-code"),
        ])
}

func s3Storage(_ text: String, secret: String) -> ConnectionDraft {
    ConnectionDraft(
        name: name(text), type: .s3,
        properties: [("REGION", "us-west-2"), ("ACCESS_KEY_ID", "AKIAEXAMPLEKEYID0001"), ("SECRET_ACCESS_KEY", secret)])
}
