import Baselines
import CatalogSealing
import ConnectionCatalog
import Foundation

/// One connection the load picks at random: its names and its DESC statement, built before the run.
struct LoadTarget: Sendable {
    let workspace: WorkspaceName
    let name: ConnectionName
    let describe: String
}

/// The catalog under load: `<path>/catalog`, keyed by `<path>/master.key`, holding connections 0..<N with the
/// benchmarks' names (`ConnectionIdentity`: 16 workspaces `ws00`…`ws15`).
enum LoadCatalog {
    static func open(_ options: LoadOptions) throws -> Catalog {
        // The default initial map (1 GiB), which grows by itself.
        try Catalog.open(
            at: "\(options.path)/catalog", keySource: .keyFile(path: "\(options.path)/master.key"),
            options: Catalog.Options(creator: "load-tool"))
    }

    /// Creates whichever of connections 0..<`count` are missing, 10,000 per transaction.
    ///
    /// - Returns: how many were created (0 when the catalog is reused).
    static func populate(_ catalog: Catalog, count: Int) throws -> Int {
        let existing = try catalog.read { reader in try reader.count() }
        guard existing < count else { return 0 }
        var created = 0
        var first = 0
        while first < count {
            let last = min(first + 10_000, count)
            created += try catalog.writeBlocking { writer in
                var made = 0
                for index in first..<last {
                    if case .created = try writer.create(try draft(UInt64(index)), ifNotExists: true) { made += 1 }
                }
                return made
            }
            first = last
        }
        return created
    }

    /// Connection `index`, shaped as the benchmarks' (CatalogDataset.draft): OSS, region, endpoint, role ARN.
    static func draft(_ index: UInt64) throws -> ConnectionDraft {
        let identity = ConnectionIdentity(index: index)
        return ConnectionDraft(
            name: try ConnectionName(identity.name), workspace: try WorkspaceName(identity.workspace), type: .oss,
            properties: [
                ("REGION", "cn-hangzhou"), ("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"),
                ("ROLE_ARN", "acs:ram::1234567890\(String(format: "%06llu", index % 1_000_000)):role/lake"),
            ])
    }

    static func targets(count: Int) throws -> [LoadTarget] {
        try (0..<count).map { index in
            let identity = ConnectionIdentity(index: UInt64(index))
            return LoadTarget(
                workspace: try WorkspaceName(identity.workspace), name: try ConnectionName(identity.name),
                describe: "DESC CONNECTION \(identity.name)")
        }
    }
}
