import CatalogSealing
import ConnectionCatalog
import Testing

/// `Catalog.stats()` gives the storage figures as values, and its text is rendered from them.
struct CatalogStatsTests {
    @Test func lmdbFiguresAreValuesAndTheTextIsRenderedFromThem() throws {
        let home = TestCatalog()
        let catalog = try home.open()
        try catalog.writeBlocking { writer in
            _ = try writer.create(awsFunction("first"))
            _ = try writer.create(awsFunction("second"))
        }
        let stats = try catalog.stats()
        guard case .lmdb(let lmdb) = stats.storage else {
            Issue.record("an LMDB catalog reports LMDB figures, not \(stats.storage)")
            return
        }
        #expect(lmdb.entries.first { $0.database == "connections" }?.count == 2)
        #expect(lmdb.pageSize > 0 && lmdb.pageSize & (lmdb.pageSize - 1) == 0)
        #expect(lmdb.usedBytes > 0 && lmdb.usedBytes <= lmdb.mapSize && lmdb.usedBytes % lmdb.pageSize == 0)
        #expect(lmdb.readersInUse <= lmdb.maxReaders && lmdb.maxReaders > 0)
        #expect(lmdb.lastTransactionID > 0)
        #expect(lmdb.path == stats.path)

        let lines = stats.description.split(separator: "\n").map(String.init)
        #expect(lines.contains("entries in connections: 2"))
        #expect(lines.contains("map size: \(lmdb.mapSize) bytes"))
        #expect(lines.contains("map used: \(lmdb.usedBytes) bytes (\(lmdb.pageSize)-byte pages)"))
        #expect(lines.contains("reader slots in use: \(lmdb.readersInUse) of \(lmdb.maxReaders)"))
        #expect(lines.contains("last transaction: \(lmdb.lastTransactionID)"))
        #expect(stats.description.hasSuffix(stats.storage.description))
    }
}
