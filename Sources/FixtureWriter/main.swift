// Writes a catalog of a chosen schema version with this program's own code, for the migration tests.
//
//   FixtureWriter OUTPUT_DIRECTORY SCHEMA_VERSION
//
// The directory receives the catalog (`data.mdb`), its key file (`master.key`) and `expected.tsv`, which lists
// what the catalog must read back as after migration: one line per connection,
//   name <TAB> type <TAB> version <TAB> KEY=value;… (plain properties) <TAB> FIELD=value;… (sealed, plaintext)
// plus `history <TAB> name <TAB> count` lines. Regenerate with `make fixtures` (see Tests/Fixtures/README.md).
import CatalogSealing
import ConnectionCatalog

#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3, let version = Int(arguments[2]) else {
    print("usage: FixtureWriter OUTPUT_DIRECTORY SCHEMA_VERSION")
    exit(2)
}
let directory = arguments[1]

struct Fixture {
    var name: String
    var type: ConnectionType
    var properties: [(key: String, value: String)]
    var secrets: [(key: String, value: String)]
    var alterations: [ConnectionChange]
}

let fixtures = [
    Fixture(
        name: "fc_hangzhou", type: .cloudFunction,
        properties: [
            ("PROVIDER", "aliyun"), ("REGION", "cn-hangzhou"),
            ("ROLE_ARN", "acs:ram::1234567890123456:role/lakehouse-fc"),
            ("CODE_BUCKET", "lakehouse-code"),
        ], secrets: [], alterations: [.comment("udf runtime"), .disable, .enable]),
    Fixture(
        name: "scf_guangzhou", type: .cloudFunction,
        properties: [
            ("PROVIDER", "tencent"), ("REGION", "ap-guangzhou"),
            ("ROLE_ARN", "qcs::cam::uin/100012345678:roleName/lakehouse"),
            ("NAMESPACE", "analytics"), ("CODE_BUCKET", "code-1250000000"),
        ], secrets: [], alterations: []),
    Fixture(
        name: "oss_logs", type: .oss,
        properties: [("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com"), ("ACCESS_ID", "LTAIfixtureAccessId")],
        secrets: [("ACCESS_KEY", "fixture-oss-access-key-0001")], alterations: [.comment("raw logs")]),
    Fixture(
        name: "cos_archive", type: .cos,
        properties: [("REGION", "ap-shanghai"), ("APP_ID", "1250000000"), ("ACCESS_KEY", "AKIDfixtureCosKey")],
        secrets: [("SECRET_KEY", "fixture-cos-secret-key-0002")], alterations: []),
    Fixture(
        name: "s3_lake", type: .s3,
        properties: [("REGION", "us-east-1"), ("ACCESS_KEY_ID", "AKIAFIXTUREKEYID0003")],
        secrets: [("SECRET_ACCESS_KEY", "fixture-s3-secret-access-key-0003")], alterations: [.disable]),
]

do {
    var options = Catalog.Options(creator: "fixture-writer")
    options.schemaVersion = version
    let catalog = try Catalog.open(
        at: directory, keySource: .keyFile(path: "\(directory)/master.key"), options: options)
    guard catalog.schemaVersion == version else {
        print("this program cannot write schema version \(version)")
        exit(1)
    }
    var lines: [String] = []
    try catalog.writeBlocking { writer in
        for fixture in fixtures {
            let name = try ConnectionName(fixture.name)
            try writer.create(
                ConnectionDraft(name: name, type: fixture.type, properties: fixture.properties + fixture.secrets))
            for change in fixture.alterations { try writer.alter(name, change) }
        }
    }
    try catalog.read { reader in
        for fixture in fixtures {
            let connection = try reader.connection(named: ConnectionName(fixture.name))!
            let plain = connection.properties.keys.sorted().map { "\($0)=\(connection.properties[$0]!)" }
            let sealed = fixture.secrets.map { "\($0.key)=\($0.value)" }
            lines.append(
                [
                    fixture.name, fixture.type.rawValue, "\(connection.version)", plain.joined(separator: ";"),
                    sealed.joined(separator: ";"),
                ].joined(separator: "\t"))
            lines.append("history\t\(fixture.name)\t\(try reader.history(of: connection.id).count)")
        }
    }
    let text = lines.joined(separator: "\n") + "\n"
    guard let file = fopen("\(directory)/expected.tsv", "w") else { exit(1) }
    fputs(text, file)
    fclose(file)
    print("wrote a schema \(version) catalog with \(fixtures.count) connections to \(directory)")
} catch {
    print("FixtureWriter: \(error)")
    exit(1)
}
