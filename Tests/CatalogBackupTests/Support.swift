import CatalogBackup
import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation

/// A catalog in a fresh temporary directory, keyed by a key file beside it.
struct TestCatalog {
    let directory: TemporaryDirectory
    var path: String { directory.appending("catalog") }
    var keyFile: String { directory.appending("master.key") }

    init(_ label: String = "catalog-backup") { directory = TemporaryDirectory(label) }

    func open(options: Catalog.Options = Catalog.Options(creator: "tester")) throws -> Catalog {
        try Catalog.open(at: path, keySource: .keyFile(path: keyFile), options: options)
    }

    /// The master key (the file is created with the catalog).
    func master() throws -> MasterKey { try MasterKeySource.keyFile(path: keyFile).resolve() }
}

func name(_ text: String) -> ConnectionName {
    // Test names are literals: a failure here is a bug in the test.
    try! ConnectionName(text)
}

func awsFunction(_ text: String, workspace: WorkspaceName = .default) -> ConnectionDraft {
    ConnectionDraft(
        name: name(text), workspace: workspace, type: .cloudFunction,
        properties: [
            ("PROVIDER", "aws"), ("REGION", "us-east-1"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/lakehouse"),
            ("CODE_BUCKET", "lakehouse-code"),
        ])
}

func s3Storage(_ text: String, secret: String, workspace: WorkspaceName = .default) -> ConnectionDraft {
    ConnectionDraft(
        name: name(text), workspace: workspace, type: .s3,
        properties: [("REGION", "us-west-2"), ("ACCESS_KEY_ID", "AKIAEXAMPLEKEYID0001"), ("SECRET_ACCESS_KEY", secret)])
}

/// Fills `catalog` with `count` connections in transactions of `batch`: even ones S3 with a secret, odd ones
/// cloud functions; every tenth gets a comment, every seventh is disabled (two more versions, so history).
func fill(_ catalog: Catalog, count: Int, prefix: String = "c", batch: Int = 10_000) throws {
    var start = 0
    while start < count {
        let end = min(start + batch, count)
        try catalog.writeBlocking { writer in
            for index in start..<end {
                let text = "\(prefix)_\(index)"
                var draft = index % 2 == 0 ? s3Storage(text, secret: "secret-\(index)") : awsFunction(text)
                if index % 10 == 0 { draft.comment = "comment \(index)" }
                try writer.create(draft)
                if index % 7 == 0 { try writer.alter(name(text), .disable) }
            }
        }
        start = end
    }
}

/// A connection as DESC shows it: every field but the sealed bytes, plus every sealed value opened.
struct Described: Equatable, CustomStringConvertible {
    var connection: Connection
    var secrets: [String: String]
    var description: String { "\(connection)" }
}

/// Every connection of `workspaces`, by id, as DESC would show it.
func describeAll(_ catalog: Catalog, workspaces: [WorkspaceName] = [.default]) throws -> [ConnectionID: Described] {
    try catalog.read { reader in
        var result: [ConnectionID: Described] = [:]
        for workspace in workspaces {
            for connection in try reader.connections(in: workspace) {
                var secrets: [String: String] = [:]
                for field in connection.sealedFields.keys {
                    secrets[field.rawValue] = try reader.withSecret(field, of: connection) {
                        String(decoding: $0, as: UTF8.self)
                    }
                }
                var plain = connection
                plain.sealedFields = [:]
                result[connection.id] = Described(connection: plain, secrets: secrets)
            }
        }
        return result
    }
}

/// Copies a committed fixture catalog into `directory`, with its key file made owner-only (git keeps 0644).
func copyFixture(_ name: String, to directory: String) throws {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for file in try FileManager.default.contentsOfDirectory(atPath: source) {
        try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(directory)/\(file)")
    }
    chmod("\(directory)/master.key", 0o600)
}

func fileBytes(_ path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map { Array($0) } ?? [] }

func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// Runs the built `catalog` binary and collects its output.
func runCatalog(_ arguments: [String], home: String) throws -> (status: Int32, output: String, errorOutput: String) {
    let process = try HelperProcess(
        "catalog", arguments,
        environment: ["HOME": home, "PATH": "/usr/bin:/bin", "CATALOG_HISTORY_FILE": "\(home)/history"])
    let status = process.waitForExit()
    return (status, process.output, process.errorOutput)
}
