import CatalogTestSupport
import Foundation
import Testing

/// A damaged live `data.mdb` (truncated, or page headers garbled) crashes LMDB. `catalog check` reports it as
/// `integrity_error` without crashing, and `catalog salvage` saves every connection whose pages are intact into a
/// new catalog whose secrets still open, naming the ones it lost.
@Suite struct DamageTests {
    static let count = 300

    static func name(_ index: Int) -> String {
        "conn_" + String(repeating: "0", count: 4 - String(index).count) + "\(index)"
    }

    /// A catalog of 300 connections (S3 ones with a sealed secret), and each one's external ID.
    static func makeCatalog() throws -> (home: CatalogHome, externalIDs: [String: String]) {
        let home = CatalogHome()
        let statements = (0..<count).map { index in
            index % 2 == 0 ? SQLFixture.s3(name(index), secret: "secret-\(index)") : SQLFixture.api(name(index))
        }
        try home.sql(statements.joined(separator: ";") + "; ALTER CONNECTION conn_0003 SET COMMENT = 'changed'")
        return (home, try externalIDs(home, names: (0..<count).map(name)))
    }

    /// `EXTERNAL_ID` of each of `names`, from one `catalog` run.
    static func externalIDs(_ home: CatalogHome, names: [String], keyFile: String? = nil) throws -> [String: String] {
        let run = try home.run(
            ["--format", "json"] + (keyFile.map { ["--key-file", $0] } ?? [])
                + ["-e", names.map { "DESC CONNECTION \($0)" }.joined(separator: ";")])
        try #require(run.status == 0, "\(run.errorOutput)")
        var result: [String: String] = [:]
        for (name, outcome) in zip(names, try run.outcomes()) {
            let rows = try #require(outcome.resultSet).rows
            result[name] = rows.first { $0[0] == "EXTERNAL_ID" }?[1] ?? nil
        }
        return result
    }

    /// A copy of `source`'s catalog (data file and key file) in a new home, for damaging.
    static func copy(of source: CatalogHome) throws -> CatalogHome {
        let copy = CatalogHome()
        try FileManager.default.createDirectory(atPath: copy.path, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: source.dataFile, toPath: copy.dataFile)
        try FileManager.default.copyItem(atPath: source.keyFile, toPath: copy.keyFile)
        return copy
    }

    enum Damage: String, CaseIterable, CustomStringConvertible {
        case truncated, flippedPageHeaders
        var description: String { rawValue }
    }

    /// Damages the data file of `home` and returns the pages it damaged, with the page size.
    static func damage(_ home: CatalogHome, _ damage: Damage) throws -> (pages: Set<Int>, pageSize: Int) {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: home.dataFile)))
        // LMDB keeps its page size in meta page 0 (the free database's md_pad, at byte 40).
        let pageSize = Int(bytes[40]) | Int(bytes[41]) << 8 | Int(bytes[42]) << 16
        try #require(pageSize >= 4096 && pageSize & (pageSize - 1) == 0)
        let pages = bytes.count / pageSize
        var damaged = Set<Int>()
        switch damage {
        case .truncated:
            let keep = pages * 6 / 10
            bytes.removeLast(bytes.count - keep * pageSize)
            damaged = Set(keep..<pages)
        case .flippedPageHeaders:
            for page in stride(from: 3, to: pages, by: 5) {
                for offset in 0..<16 { bytes[page * pageSize + offset] ^= 0xA5 }
                damaged.insert(page)
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: home.dataFile))
        return (damaged, pageSize)
    }

    /// The connection names whose bytes appear on `pages` of `file` (their records, index entries, history).
    static func names(onPages pages: Set<Int>, of file: [UInt8], pageSize: Int) -> Set<String> {
        var found = Set<String>()
        let marker = Array("conn_".utf8)
        for page in pages where (page + 1) * pageSize <= file.count {
            let bytes = file[page * pageSize..<(page + 1) * pageSize]
            var index = bytes.startIndex
            while index + marker.count + 4 <= bytes.endIndex {
                if bytes[index..<index + marker.count].elementsEqual(marker) {
                    found.insert(String(decoding: bytes[index..<index + marker.count + 4], as: UTF8.self))
                }
                index += 1
            }
        }
        return found
    }

    @Test func checkReportsAHealthyCatalog() throws {
        let (home, _) = try Self.makeCatalog()
        let run = try home.run(["check", "--format", "json"])
        #expect(run.status == 0, "\(run.output)\(run.errorOutput)")
        let rows = try #require(try run.outcome().resultSet).rows
        var items: [String: String] = [:]
        for row in rows { items[row[0] ?? ""] = row[1] ?? "" }
        #expect(items["status"] == "ok")
        #expect(items["connections"] == "\(Self.count)")
        #expect(items["names_index"] == "consistent (\(Self.count) entries)")
        #expect(
            items["sealed_values_authenticated"] == "\(Self.count + Self.count / 2 + 1)",
            "an external ID each, a secret per S3, and the external ID of conn_0003's earlier version")
    }

    @Test(arguments: Damage.allCases)
    func checkReportsDamageAndSalvageSavesEveryIntactConnection(damage: Damage) throws {
        let (original, externalIDs) = try Self.makeCatalog()
        let home = try Self.copy(of: original)
        let before = Array(try Data(contentsOf: URL(fileURLWithPath: home.dataFile)))
        let (damagedPages, pageSize) = try Self.damage(home, damage)
        let all = Set((0..<Self.count).map(Self.name))
        let atRisk = Self.names(onPages: damagedPages, of: before, pageSize: pageSize)
        let intact = all.subtracting(atRisk)
        try #require(!atRisk.isEmpty && !intact.isEmpty, "the damage must hit some connections and spare others")

        // Plain SQL on the damaged file dies (this is the crash check guards against) or fails; check does neither.
        let check = try home.run(["check", "--format", "json"])
        #expect(check.status == 1, "check exits 1 on damage, never by a signal: \(check.status) \(check.errorOutput)")
        let checked = try check.outcomes()
        #expect(checked.last?.errorCode == "integrity_error", "\(checked)")
        #expect(checked.last.map { "\($0)" }?.contains("catalog salvage --to") == true)
        let reported = Set(
            try #require(checked.first?.resultSet).rows.compactMap { $0[1] }.map {
                $0.replacingOccurrences(of: "default.", with: "")
            })
        if damage == .truncated {
            #expect(!reported.isEmpty, "check names the connections whose records are gone")
        }
        #expect(
            try #require(checked.first?.resultSet).rows.contains {
                $0[0] == "data.mdb" && $0[3]?.contains("pages damaged or missing") == true
            },
            "check says how much of the file is damaged")
        #expect(reported.isSubset(of: atRisk), "\(reported.subtracting(atRisk))")

        // Salvage into a new catalog.
        let target = home.directory.appending("salvaged")
        let salvage = try home.run(["salvage", "--format", "json", "--to", target])
        #expect(salvage.status == 0, "\(salvage.output)\(salvage.errorOutput)")
        let outcomes = try salvage.outcomes()
        var items: [String: String] = [:]
        for row in try #require(outcomes.first?.resultSet).rows { items[row[0] ?? ""] = row[1] ?? "" }
        #expect(items["catalog_id"].map { !$0.isEmpty } == true)
        #expect(items["problems_in_copy"] == "0")
        let lostNames = Set(
            (outcomes.count > 1 ? try #require(outcomes[1].resultSet).rows : []).compactMap { $0[0] }
                .map { $0.replacingOccurrences(of: "default.", with: "") })
        #expect(
            lostNames.isSubset(of: atRisk),
            "only connections on damaged pages are lost: \(lostNames.subtracting(atRisk))")
        if damage == .truncated {
            // Their pages are gone: they are lost, and named. (Garbled page headers lose nothing: the records
            // on those pages are still found by their checksums.)
            #expect(!lostNames.isEmpty, "the lost connections are named")
        }

        let shown = try home.run(
            ["--format", "json", "--path", target, "--key-file", home.keyFile, "-e", "SHOW CONNECTIONS"],
            withPath: false)
        #expect(shown.status == 0, "\(shown.errorOutput)")
        let saved = Set(try #require(try shown.outcome().resultSet).rows.compactMap { $0[0] })
        #expect(
            intact.isSubset(of: saved),
            "every connection on intact pages is saved; missing: \(intact.subtracting(saved).sorted())")
        #expect(saved.isDisjoint(with: lostNames))
        #expect(
            saved.count + Int(items["connections_lost"] ?? "0")! == Self.count, "every connection is saved or listed")
        #expect(items["connections_saved"] == "\(saved.count)")

        // Their secrets open: DESC in the new catalog shows the original external IDs.
        let run = try home.run(
            [
                "--format", "json", "--path", target, "--key-file", home.keyFile, "-e",
                saved.sorted().map { "DESC CONNECTION \($0)" }.joined(separator: ";"),
            ], withPath: false)
        #expect(run.status == 0, "\(run.errorOutput)")
        for (name, outcome) in zip(saved.sorted(), try run.outcomes()) {
            let rows = try #require(outcome.resultSet).rows
            #expect(rows.first { $0[0] == "EXTERNAL_ID" }?[1] == externalIDs[name], "\(name)")
        }
        // The new catalog is whole: check finds nothing wrong.
        let recheck = try home.run(
            ["check", "--format", "json", "--path", target, "--key-file", home.keyFile], withPath: false)
        #expect(recheck.status == 0, "\(recheck.output)")
        for text in [check.output, check.errorOutput, salvage.output, salvage.errorOutput] {
            #expect(!text.contains("secret-"), "no secret in any output")
        }
    }
}
