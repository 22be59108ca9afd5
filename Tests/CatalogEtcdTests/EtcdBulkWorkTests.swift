import CatalogBackup
import CatalogEtcd
import CatalogSealing
import CatalogStorage
import CatalogTestSupport
import ConnectionCatalog
import Foundation
import Synchronization
import Testing

/// Work larger than one etcd `Txn` (rotate-key, import, restore, backup) on a real 3-member cluster, through
/// stores that hold etcd's default limit of 128 operations a `Txn`.
@Suite(.sharedEtcdCluster)
struct EtcdBulkWorkTests {
    @Test func rotateKeyReSealsSeveralHundredRecordsInBoundedCommits() throws {
        let test = EtcdTestCatalog("rotate")
        let catalog = try test.open(store: try test.store(maxTxnOperations: 128))
        try createConnections(300, named: "c", in: catalog)
        try catalog.writeBlocking { writer in
            for index in 0..<30 { try writer.alter(name("c\(index)"), .comment("altered")) }
        }
        let store = try test.store(maxTxnOperations: 128)
        let connections = try store.keyspace("connections")
        // All the records in one commit do not fit: the rotation must be bounded to go through.
        let oneCommit = try #require(throws: StorageError.self) {
            try store.writeBlocking { writer in
                for (key, value) in try writer.entries(in: connections) {
                    try writer.put(value, for: try RecordKey(key), in: connections)
                }
            }
        }
        #expect(oneCommit.code == .changeSetTooLarge)
        let before = try externalIDs(of: catalog)
        let reader = try test.open(member: 1)
        #expect(try externalIDs(of: reader) == before)

        let keyID = try catalog.rotateDataKey()
        for keyspace in ["connections", "history"] {
            let values = try store.read { snapshot in try snapshot.entries(in: try store.keyspace(keyspace)) }
            #expect(values.count == (keyspace == "connections" ? 300 : 30))
            for (_, value) in values {
                #expect(try sealedKeyIDs(in: value).allSatisfy { $0 == keyID }, "\(keyspace) record not re-sealed")
            }
        }
        let meta = try store.keyspace("meta")
        #expect(try store.read { snapshot in try snapshot.get(key("rotation"), in: meta) } == nil)
        // A handle opened before the rotation meets the new key id and reloads the keyring.
        #expect(try externalIDs(of: reader) == before)
        #expect(try externalIDs(of: try test.open(member: 2)) == before)
        // A second rotation adds another key and goes through the same way.
        #expect(try catalog.rotateDataKey() == keyID + 1)
        #expect(try externalIDs(of: reader) == before)
    }

    /// An import switches the catalog to a new generation: a follower's feed hears one reset at the switch and
    /// then the changes made in the new generation; a node's read cache drops its copy and reads the new one.
    @Test func anImportIsOneResetInTheFeedAndTheFeedAndTheCacheGoOnInTheNewGeneration() async throws {
        let source = try LMDBSource(connections: 20)
        let export = source.directory.appending("export.jsonl")
        try CatalogTransfer.export(source.catalog, to: export)
        let test = EtcdTestCatalog("import-feed")
        let catalog = try test.open()
        try createConnections(3, named: "own", in: catalog)
        let follower = try test.open(member: 1)
        let start = try follower.latestChangeRevision()

        var cacheOptions = EtcdStore.Options(keyspaces: Catalog.storeKeyspaces)
        cacheOptions.readCacheKeyspaces = Catalog.readCacheKeyspaces
        let cluster = SharedEtcdCluster.cluster
        let cacheStore = try EtcdStore.open(
            endpoints: Array(cluster.endpoints.reversed()), prefix: test.prefix, options: cacheOptions)
        let cached = try Catalog.open(
            store: cacheStore, description: "etcd://test/\(test.prefix)", keySource: .keyFile(path: test.keyFile))
        #expect(try cached.read { reader in try reader.count() } == 3)

        let feed = Task { try await collect(follower.changes(after: start), count: 2) }
        let summary = try CatalogTransfer.importFile(export, into: catalog, sourceMaster: source.master)
        #expect(summary.imported == 20)
        try catalog.writeBlocking { writer in try writer.drop(name("own0")) }
        let events = try await feed.value
        try #require(events.count == 2, "\(events)")
        guard case .reset(let switched) = events[0] else {
            Issue.record("the switch is not a reset: \(events[0])")
            return
        }
        #expect(switched > start)
        #expect(events[1].change?.kind == .drop && events[1].change?.name == name("own0"))
        #expect(events[1].change!.revision > switched)

        // The bounded read from the same start says the same.
        let through = try follower.latestChangeRevision()
        let bounded = try await collect(follower.changes(after: start, through: through), count: 3)
        #expect(bounded.count == 2, "\(bounded)")
        #expect(bounded.first.map { if case .reset(switched) = $0 { true } else { false } } == true)
        #expect(bounded.last?.change == events[1].change)

        // The cache reloads the new generation: every read after the drop sees 22 connections.
        var seen = 0
        for _ in 0..<200 {
            seen = try cached.read { reader in try reader.count() }
            if seen == 22 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(seen == 22)
        #expect(try cached.read { reader in try reader.connection(named: name("own0")) } == nil)
    }

    @Test func importOfSeveralHundredConnectionsGoesThroughInBoundedCommits() throws {
        let source = try LMDBSource(connections: 300)
        let export = source.directory.appending("export.jsonl")
        try CatalogTransfer.export(source.catalog, to: export)
        let test = EtcdTestCatalog("import")
        let store = try test.store(maxTxnOperations: 128)
        let catalog = try test.open(store: store)
        try createConnections(5, named: "own", in: catalog)
        let own = try externalIDs(of: catalog)

        let summary = try CatalogTransfer.importFile(export, into: catalog, sourceMaster: source.master)
        #expect(summary.imported == 300)
        let after = try externalIDs(of: try test.open(member: 1))
        #expect(after.count == 305)
        #expect(after.filter { $0.key.hasPrefix("own") } == own)
        #expect(after.filter { $0.key.hasPrefix("src") } == (try externalIDs(of: source.catalog)))
        // The import wrote a new generation and switched to it; nothing else is left in the store.
        let live = try #require(store.liveGeneration)
        #expect(try store.storedGenerations() == [live])
        // The first generation's keys are gone: a store that still believed in it reads the new one.
        #expect(try test.open(member: 2).read { reader in try reader.count() } == 305)

        // Conflicts behave as on LMDB: nothing is imported under `fail`.
        let again = try #require(throws: CatalogError.self) {
            try CatalogTransfer.importFile(export, into: catalog, sourceMaster: source.master)
        }
        #expect(again.code == .conflict)
        #expect(try catalog.read { reader in try reader.count() } == 305)
        #expect(try store.storedGenerations() == [live])
        let skipped = try CatalogTransfer.importFile(
            export, into: catalog, sourceMaster: source.master, onConflict: .skip)
        #expect(skipped.skipped == 300 && skipped.imported == 0)
    }

    @Test func readersSeeTheCatalogBeforeAnImportOrAfterItNeverPartOfIt() throws {
        let source = try LMDBSource(connections: 250)
        let export = source.directory.appending("export.jsonl")
        try CatalogTransfer.export(source.catalog, to: export)
        let test = EtcdTestCatalog("import-readers")
        let catalog = try test.open(store: try test.store(maxTxnOperations: 128))
        try createConnections(40, named: "own", in: catalog)
        let reader = try test.open(member: 1)
        let seen = Mutex<[Int]>([])
        let done = Atomic<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            while !done.load(ordering: .acquiring) {
                if let count = try? reader.read({ reader in try reader.connections().count }) {
                    seen.withLock { $0.append(count) }
                }
            }
            finished.signal()
        }
        thread.start()
        try CatalogTransfer.importFile(export, into: catalog, sourceMaster: source.master)
        // Read a few times after the switch too, so the reader is seen to reach the new state.
        while seen.withLock({ $0.filter { $0 == 290 }.count }) < 3 { Thread.sleep(forTimeInterval: 0.01) }
        done.store(true, ordering: .releasing)
        finished.wait()
        let counts = seen.withLock { $0 }
        #expect(counts.allSatisfy { $0 == 40 || $0 == 290 }, "a reader saw part of the import: \(Set(counts).sorted())")
        #expect(counts.first == 40 || counts.first == 290)
    }

    @Test func writersDuringARotationLoseNothingAndEndSealedWithTheNewKey() throws {
        let test = EtcdTestCatalog("rotate-writers")
        let catalog = try test.open(store: try test.store(maxTxnOperations: 128))
        try createConnections(200, named: "w", in: catalog)
        let writer = try test.open(member: 1)
        let done = Atomic<Bool>(false)
        let alters = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let finished = DispatchSemaphore(value: 0)
        Thread {
            var index = 0
            while !done.load(ordering: .acquiring) || index < 20 {
                do {
                    try writer.writeBlocking { w in try w.alter(name("w\(index % 200)"), .comment("pass \(index)")) }
                    alters.add(1, ordering: .relaxed)
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
                index += 1
            }
            finished.signal()
        }.start()
        let keyID = try catalog.rotateDataKey()
        done.store(true, ordering: .releasing)
        finished.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let store = try test.store(maxTxnOperations: 128)
        for (_, value) in try store.read({ snapshot in try snapshot.entries(in: try store.keyspace("connections")) }) {
            #expect(try sealedKeyIDs(in: value).allSatisfy { $0 == keyID })
        }
        // Every ALTER is there: one version each on top of the created one.
        let versions = try catalog.read { reader in try reader.connections().reduce(0) { $0 + Int($1.version) - 1 } }
        #expect(versions == alters.load(ordering: .relaxed))
        #expect(try externalIDs(of: catalog).count == 200)
    }

    @Test func writesDuringAnImportAreNeverLost() throws {
        let source = try LMDBSource(connections: 200)
        let export = source.directory.appending("export.jsonl")
        try CatalogTransfer.export(source.catalog, to: export)
        let test = EtcdTestCatalog("import-writers")
        let catalog = try test.open(store: try test.store(maxTxnOperations: 128))
        let writer = try test.open(member: 1)
        let done = Atomic<Bool>(false)
        let created = Mutex<[String]>([])
        let finished = DispatchSemaphore(value: 0)
        let writing = DispatchSemaphore(value: 0)
        Thread {
            var index = 0
            while !done.load(ordering: .acquiring) || index < 3 {
                if (try? writer.writeBlocking({ w in try w.create(awsFunction("during\(index)")) })) != nil {
                    created.withLock { $0.append("during\(index)") }
                }
                if index == 0 { writing.signal() }
                index += 1
                Thread.sleep(forTimeInterval: 0.02)
            }
            finished.signal()
        }.start()
        // The import starts once the writer is busy, and the writer goes on until the import ends.
        writing.wait()
        let catchUpsBefore = Catalog.importCatchUpCount
        let outcome = Result { try CatalogTransfer.importFile(export, into: catalog, sourceMaster: source.master) }
        done.store(true, ordering: .releasing)
        finished.wait()
        let names = Set(try catalog.read { reader in try reader.connections().map(\.name.rawValue) })
        let writes = Set(created.withLock { $0 })
        #expect(writes.count >= 3 && writes.isSubset(of: names), "a write made during the import was lost")
        // Writes the import does not depend on are caught up with, so it goes through.
        let summary = try outcome.get()
        #expect(summary.imported == 200 && names.count == 200 + writes.count)
        #expect(Catalog.importCatchUpCount > catchUpsBefore, "the import met no write to catch up with")
    }

    @Test func aCommitPlannedBeforeASwitchConflictsAndRunsAgainOnTheNewGeneration() throws {
        let prefix = freshPrefix("switch")
        let endpoints = SharedEtcdCluster.cluster.endpoints
        let writer = try EtcdStore.open(endpoints: endpoints, prefix: prefix, options: testOptions())
        let other = try EtcdStore.open(endpoints: Array(endpoints.reversed()), prefix: prefix, options: testOptions())
        let a = try writer.keyspace("a")
        try writer.writeBlocking { w in try w.put(bytes(1), for: key("k"), in: a) }
        // A change set read and staged before the switch, committed after it.
        let builder = ChangeSetBuilder()
        try other.stage(builder) { staged in
            let value = number(try staged.get(key("k"), in: a)) ?? 0
            try staged.put(bytes(value + 1), for: key("k"), in: a)
        }
        #expect(other.liveGeneration == nil)

        let replacement = try writer.beginReplacement()
        try replacement.put([ReplacementEntry(keyspace: a, key: Array("k".utf8), value: bytes(10))])
        // Not visible before the switch, to either store.
        #expect(number(try other.read { try $0.get(key("k"), in: a) }) == 1)
        try replacement.publish(requireUnchangedBase: false)

        let stale = try #require(throws: StorageError.self) { try other.commitBlocking(builder.changeSet()) }
        #expect(stale.code == .conflict)
        #expect(number(try other.read { try $0.get(key("k"), in: a) }) == 10)
        try other.writeBlocking { w in
            try w.put(bytes((number(try w.get(key("k"), in: a)) ?? 0) + 1), for: key("k"), in: a)
        }
        #expect(number(try writer.read { try $0.get(key("k"), in: a) }) == 11)
        // A store opened afresh resolves the live generation at its first read.
        let fresh = try EtcdStore.open(endpoints: endpoints, prefix: prefix, options: testOptions())
        #expect(number(try fresh.read { try $0.get(key("k"), in: a) }) == 11)
        #expect(try fresh.read { try $0.count(of: a) } == 1)
        #expect(fresh.liveGeneration != nil && fresh.liveGeneration == other.liveGeneration)
    }

    @Test func aSwitchDerivedFromTheBaseWaitsForACatchUpWhenAnythingWasCommittedSince() throws {
        let prefix = freshPrefix("base")
        let endpoints = SharedEtcdCluster.cluster.endpoints
        let store = try EtcdStore.open(endpoints: endpoints, prefix: prefix, options: testOptions())
        let other = try EtcdStore.open(endpoints: Array(endpoints.reversed()), prefix: prefix, options: testOptions())
        let a = try store.keyspace("a")
        try store.writeBlocking { w in
            try w.put(bytes(1), for: key("x"), in: a)
            try w.put(bytes(2), for: key("y"), in: a)
        }
        // A commit that only deletes still counts.
        for change in ["put", "delete"] {
            let replacement = try store.beginReplacement()
            try replacement.put([ReplacementEntry(keyspace: a, key: Array("z".utf8), value: bytes(3))])
            try other.writeBlocking { w in
                if change == "put" {
                    try w.put(bytes(5), for: key("x"), in: a)
                } else {
                    _ = try w.delete(key("y"), in: a)
                }
            }
            #expect(try replacement.publish(requireUnchangedBase: true) == false, "\(change)")
            #expect(try store.read { try $0.get(key("z"), in: a) } == nil, "\(change)")
            // Catching up: the base moves past the commit, which the new state then takes in.
            let moved = try replacement.advanceBase(keyspaces: [a]) { _ in [Array("x".utf8), Array("y".utf8)] }
            #expect(moved.map { String(decoding: $0.key, as: UTF8.self) } == [change == "put" ? "x" : "y"], "\(change)")
            #expect(moved.first?.value == (change == "put" ? bytes(5) : nil), "\(change)")
            replacement.abandon()
        }
        #expect(store.liveGeneration == nil)

        // A later replacement removes what an unfinished one wrote, and the unfinished one cannot go on.
        let first = try store.beginReplacement()
        try first.put([ReplacementEntry(keyspace: a, key: Array("left".utf8), value: bytes(1))])
        #expect(try store.storedGenerations().count == 1)
        let second = try store.beginReplacement()
        let stopped = try #require(throws: StorageError.self) {
            try first.put([ReplacementEntry(keyspace: a, key: Array("more".utf8), value: bytes(1))])
        }
        #expect(stopped.code == .conflict)
        try second.put([ReplacementEntry(keyspace: a, key: Array("new".utf8), value: bytes(1))])
        try second.publish(requireUnchangedBase: true)
        #expect(
            try #require(throws: StorageError.self) { try first.publish(requireUnchangedBase: false) }.code == .conflict
        )
        #expect(try store.storedGenerations() == [try #require(store.liveGeneration)])
        #expect(try other.read { try $0.entries(in: a).map { String(decoding: $0.key, as: UTF8.self) } } == ["new"])
    }

    @Test func aBackupTakenFromEtcdVerifiesAndRestoresIntoLMDBAndBack() throws {
        let test = EtcdTestCatalog("backup")
        let catalog = try test.open(store: try test.store(maxTxnOperations: 128))
        try createConnections(150, named: "b", in: catalog)
        try catalog.writeBlocking { writer in
            for index in 0..<10 { try writer.alter(name("b\(index)"), .comment("v2")) }
        }
        try catalog.setSetting("trust.aws.principal", to: "arn:aws:iam::111122223333:root")
        let expected = try externalIDs(of: catalog)
        let master = try MasterKeySource.keyFile(path: test.keyFile).resolve()

        let backup = test.directory.appending("from-etcd")
        let manifest = try Backup.create(from: catalog, at: backup)
        #expect(manifest.catalogID == catalog.catalogIDHex)
        #expect(manifest.records.connections == 150 && manifest.records.names == 150 && manifest.records.history == 10)
        let verified = try Backup.verify(backup, master: master)
        #expect(verified.isHealthy, "\(verified.problems)")

        // Into LMDB: the same catalog, its sealed values unchanged (bound to the catalog id, not the backend).
        let lmdbPath = test.directory.appending("restored")
        try Backup.restore(backup, to: lmdbPath, master: master)
        let onLMDB = try Catalog.open(at: lmdbPath, keySource: .keyFile(path: test.keyFile))
        #expect(onLMDB.catalogIDHex == catalog.catalogIDHex)
        #expect(try externalIDs(of: onLMDB) == expected)
        #expect(
            try onLMDB.read { reader in
                try reader.history(of: try #require(try reader.connection(named: name("b3"))).id)
            }.count == 1)
        #expect(try onLMDB.setting("trust.aws.principal") == "arn:aws:iam::111122223333:root")
        try onLMDB.writeBlocking { writer in try writer.create(awsFunction("added_on_lmdb")) }

        // And back into etcd: a fresh catalog name, then over the original one.
        let lmdbBackup = test.directory.appending("from-lmdb")
        try Backup.create(from: onLMDB, at: lmdbBackup)
        let fresh = EtcdTestCatalog("backup-fresh")
        let freshStore = try fresh.store(maxTxnOperations: 128)
        let report = try Backup.restore(lmdbBackup, into: freshStore, description: "etcd://test/fresh", master: master)
        #expect(!report.replacedExisting && report.manifest.records.connections == 151)
        let restored = try Catalog.open(
            store: freshStore, description: "etcd://test/fresh", keySource: .keyFile(path: test.keyFile))
        #expect(restored.catalogIDHex == catalog.catalogIDHex)
        var withAdded = try externalIDs(of: restored)
        #expect(withAdded.removeValue(forKey: "added_on_lmdb") != nil)
        #expect(withAdded == expected)

        let original = try test.store(maxTxnOperations: 128)
        let refused = try #require(throws: CatalogError.self) {
            try Backup.restore(lmdbBackup, into: original, description: "etcd://test/original", master: master)
        }
        #expect(refused.code == .alreadyExists)
        #expect(try externalIDs(of: try test.open()).count == 150)
        let replaced = try Backup.restore(
            lmdbBackup, into: original, description: "etcd://test/original", master: master, force: true)
        #expect(replaced.replacedExisting)
        // The handle opened before the restore reads the restored catalog (its snapshots resolve the generation).
        #expect(try catalog.read { reader in try reader.count() } == 151)
        try catalog.writeBlocking { writer in try writer.create(awsFunction("after_restore")) }
        #expect(try externalIDs(of: try test.open(member: 2)).count == 152)
    }
}

/// `count` S3 connections `<prefix>0…`, twenty per commit (each has a sealed secret and an external ID).
func createConnections(_ count: Int, named prefix: String, in catalog: Catalog) throws {
    for start in stride(from: 0, to: count, by: 20) {
        try catalog.writeBlocking { writer in
            for index in start..<min(count, start + 20) {
                try writer.create(
                    s3Storage("\(prefix)\(index)", secret: "wJalrXUtnFEMI\(index)0000000000000000000EXAMPLE"))
            }
        }
    }
}

/// Every connection's name and its external ID, opened from its sealed value.
func externalIDs(of catalog: Catalog) throws -> [String: String] {
    try catalog.read { reader in
        var result: [String: String] = [:]
        for connection in try reader.connections() {
            result[connection.name.rawValue] = try reader.externalID(of: connection) ?? "<none>"
        }
        return result
    }
}

/// The key ids of the sealed values of an encoded record (the envelope's bytes 1–4, docs/sealing.md).
func sealedKeyIDs(in record: [UInt8]) throws -> [UInt32] {
    let connection = try ConnectionRecord.decode(record)
    return try connection.sealedFields.values.map { try SealedValue(bytes: $0).keyID }
}

/// An LMDB catalog with `count` connections `src0…`, to export from.
struct LMDBSource {
    let directory = TemporaryDirectory("etcd-source")
    let catalog: Catalog
    let master: MasterKey

    init(connections count: Int) throws {
        let keyFile = directory.appending("source.key")
        catalog = try Catalog.open(at: directory.appending("catalog"), keySource: .keyFile(path: keyFile))
        try catalog.writeBlocking { writer in
            for index in 0..<count {
                try writer.create(s3Storage("src\(index)", secret: "wJalrXUtnFEMI\(index)1111111111111111111EXAMPLE"))
            }
        }
        master = try MasterKeySource.keyFile(path: keyFile).resolve()
    }
}

extension EtcdTestCatalog {
    /// The catalog's store with `maxTxnOperations` (etcd's default is 128; the shared cluster takes more).
    func store(member: Int = 0, maxTxnOperations: Int) throws -> EtcdStore {
        let cluster = SharedEtcdCluster.cluster
        var options = EtcdStore.Options(keyspaces: Catalog.storeKeyspaces)
        options.giveUpAfter = .seconds(20)
        options.maxTxnOperations = maxTxnOperations
        let endpoints = Array(cluster.endpoints[member...] + cluster.endpoints[..<member])
        return try EtcdStore.open(endpoints: endpoints, prefix: prefix, options: options)
    }

    func open(store: EtcdStore) throws -> Catalog {
        try Catalog.open(store: store, description: "etcd://test/\(prefix)", keySource: .keyFile(path: keyFile))
    }
}
