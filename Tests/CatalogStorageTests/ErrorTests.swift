import CatalogStorage
import CatalogTestSupport
import Foundation
import Testing

@Suite struct ErrorTests {
    @Test(arguments: [0, 512, 4096])
    func oversizeOrEmptyKeyIsRefusedBeforeLMDB(length: Int) throws {
        let error = try #require(throws: StorageError.self) { try RecordKey(Array(repeating: 0x61, count: length)) }
        #expect(error.code == .badValueSize)
        #expect(error.message.contains(length == 0 ? "empty" : "\(length) bytes"))
    }

    @Test func keyOfExactly511BytesIsStored() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(in: directory)
        let longest = try RecordKey(Array(repeating: 0x61, count: 511))
        try environment.writeBlocking { tx in try tx.put([1], for: longest, in: data) }
        #expect(try environment.read { tx in try tx.get(longest, in: data) } == [1])
    }

    @Test func fullReaderTableIsAnErrorAndWritesNothing() throws {
        let directory = TemporaryDirectory()
        let (environment, data) = try makeEnvironment(maxReaders: 2, in: directory)
        let error = try #require(throws: StorageError.self) {
            try environment.read { _ in
                try environment.read { _ in
                    try environment.read { _ in }
                }
            }
        }
        #expect(error.code == .readersFull)
        #expect(error.operation == "mdb_txn_begin")
        #expect(error.message.contains("reader slots"))
        #expect(try environment.read { tx in try tx.count(of: data) } == 0)
        #expect(try environment.stats().readersInUse == 0)
    }

    @Test func directoryThatCannotBeMadeIsAnError() throws {
        let directory = TemporaryDirectory()
        let file = directory.appending("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let error = try #require(throws: StorageError.self) {
            try Environment.open(at: "\(file)/env", options: .init(databases: ["data"]))
        }
        #expect(error.code == .notADirectory)
        #expect(error.message.contains(file))
    }

    @Test func unreadableDirectoryIsAnError() throws {
        let directory = TemporaryDirectory()
        let locked = directory.appending("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o000)
        defer { chmod(locked, 0o700) }
        if getuid() != 0 {
            let error = try #require(throws: StorageError.self) {
                try Environment.open(at: locked, options: .init(databases: ["data"]))
            }
            #expect(error.code == .permissionDenied)
            #expect(error.message.contains("permissions"))
        }
        // Root reads any directory, so for every user also check a backup file whose directory is missing.
        var options = Environment.Options(databases: ["data"])
        options.layout = .singleFile
        options.readOnly = true
        let error = try #require(throws: StorageError.self) {
            try Environment.open(at: directory.appending("missing/backup.mdb"), options: options)
        }
        #expect(error.code == .fileNotFound)
        #expect(error.message.contains("missing"))
    }

    @Test func fileThatIsNotAnEnvironmentIsRefusedUnchanged() throws {
        let directory = TemporaryDirectory()
        let path = directory.appending("env")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let garbage = Data((0..<16384).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        #expect(FileManager.default.createFile(atPath: "\(path)/data.mdb", contents: garbage))
        let error = try #require(throws: StorageError.self) {
            try Environment.open(at: path, options: .init(databases: ["data"]))
        }
        #expect(error.code == .invalid)
        #expect(error.message.contains("not an LMDB environment"))
        #expect(FileManager.default.contents(atPath: "\(path)/data.mdb") == garbage)
    }

    @Test func unknownDatabaseIsAnError() throws {
        let directory = TemporaryDirectory()
        let (environment, _) = try makeEnvironment(in: directory)
        let error = try #require(throws: StorageError.self) { try environment.database("nope") }
        #expect(error.code == .unknownDatabase)
    }
}
