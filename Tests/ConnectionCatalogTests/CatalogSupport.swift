import CatalogSealing
import CatalogTestSupport
import ConnectionCatalog
import Foundation

/// A catalog in a fresh temporary directory, keyed by a key file beside it.
struct TestCatalog {
    let directory: TemporaryDirectory
    var path: String { directory.appending("catalog") }
    var keyFile: String { directory.appending("master.key") }

    init() { directory = TemporaryDirectory("catalog-domain") }

    func open(options: Catalog.Options = Catalog.Options(creator: "tester")) throws -> Catalog {
        try Catalog.open(at: path, keySource: .keyFile(path: keyFile), options: options)
    }
}

func name(_ text: String) -> ConnectionName {
    // Test names are literals: a failure here is a bug in the test.
    try! ConnectionName(text)
}

func awsFunction(_ text: String, region: String = "us-east-1") -> ConnectionDraft {
    ConnectionDraft(
        name: name(text), type: .cloudFunction,
        properties: [
            ("PROVIDER", "AWS"), ("REGION", region), ("ROLE_ARN", "arn:aws:iam::123456789012:role/lakehouse"),
            ("CODE_BUCKET", "lakehouse-code"),
        ])
}

func s3Storage(_ text: String, secret: String) -> ConnectionDraft {
    ConnectionDraft(
        name: name(text), type: .s3,
        properties: [("REGION", "us-west-2"), ("ACCESS_KEY_ID", "AKIAEXAMPLEKEYID0001"), ("SECRET_ACCESS_KEY", secret)])
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

/// The bytes of a file, for byte-for-byte comparisons.
func fileBytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }
