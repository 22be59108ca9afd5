import CatalogTestSupport
import ConnectionCatalog
import Testing

@testable import CatalogSQL

/// DESC of a connection's current version is shown straight from its stored record (`ConnectionDetailView`); DESC
/// … AS OF VERSION, and EXTENDED, show a decoded `Connection`. Both must give the same rows, cell for cell.
@Suite struct DescribeFromRecordTests {
    static let creates = [
        createFunction,
        """
        CREATE API CONNECTION scf TYPE = CLOUD_FUNCTION PROVIDER = 'tencent' REGION = 'ap-guangzhou'
            ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/lake' NAMESPACE = 'lake_ns' CODE_BUCKET = 'code-1250000000'
        """,
        """
        CREATE STORAGE CONNECTION oss TYPE = OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com'
            ACCESS_ID = 'LTAI5tExampleId' ACCESS_KEY = 'oss-secret-value-01' COMMENT = 'keys'
        """,
        """
        CREATE STORAGE CONNECTION cos TYPE = COS REGION = 'ap-guangzhou' APP_ID = '1250000000'
            ACCESS_KEY = 'AKIDexampleKeyId' SECRET_KEY = 'cos-secret-value-01'
        """,
        """
        CREATE STORAGE CONNECTION s3 TYPE = S3 REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lake'
            ACCESS_KEY_ID = 'AKIAEXAMPLEKEY01' SECRET_ACCESS_KEY = 's3-secret-value-01'
        """,
    ]

    /// The rows of the one result `sql` gives in `session`.
    static func rows(_ sql: String, in session: Session) throws -> [[String?]] {
        let outcomes = session.executeBlocking(sql)
        #expect(outcomes.count == 1)
        return try #require(outcomes.first?.resultSet, "\(sql): \(String(describing: outcomes.first))").rows
    }

    @Test(arguments: creates)
    func theStoredRecordShowsAsTheDecodedConnection(create: String) throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        #expect(session.executeBlocking(create).allSatisfy { $0.error == nil })
        let name = try #require(create.split(separator: " ").dropFirst(3).first.map(String.init))
        // An earlier version too: the current one is then version 2, with a rename and a comment behind it.
        #expect(
            session.executeBlocking("ALTER CONNECTION \(name) SET COMMENT = 'second'").allSatisfy { $0.error == nil })
        let fromRecord = try Self.rows("DESC CONNECTION \(name)", in: session)
        let decoded = try Self.rows("DESC CONNECTION \(name) AS OF VERSION 2", in: session)
        #expect(fromRecord == decoded)
        #expect(fromRecord.contains { $0 == ["version", "2"] })
        #expect(fromRecord.contains { $0[0] == "EXTERNAL_ID" && $0[1]?.count == 16 })
        // Inside a transaction the writer's view of the record gives the same rows.
        let inTransaction = session.executeBlocking("BEGIN; DESC CONNECTION \(name); COMMIT")
        #expect(inTransaction.compactMap(\.resultSet).map(\.rows) == [fromRecord])
    }

    @Test func keysFromANewerProgramFollowTheSchemaKeysSorted() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        #expect(session.executeBlocking(Self.creates[2]).allSatisfy { $0.error == nil })
        var connection = try #require(try fixture.catalog.read { try $0.connection(named: ConnectionName("oss")) })
        connection.properties[PropertyKey(rawValue: "ZETA_POLICY")] = "z"
        connection.properties[PropertyKey(rawValue: "ALPHA_POLICY")] = "a"
        let result = try fixture.catalog.read { reader in
            try DescribeResult.make(for: connection, extended: false, reader: reader)
        }
        let names = result.rows.map { $0[0] ?? "" }
        #expect(
            names.suffix(6) == ["ENDPOINT", "ACCESS_ID", "ACCESS_KEY", "ALPHA_POLICY", "ZETA_POLICY", "EXTERNAL_ID"])
        #expect(result.rows.first { $0[0] == "ACCESS_ID" }?[1] == "LTAI5t*********")
        #expect(result.rows.first { $0[0] == "ACCESS_KEY" }?[1] == DescribeResult.hiddenSecret)
        #expect(result.rows.first { $0[0] == "comment" }?[1] == "keys")
    }

    @Test func aConnectionWithoutACommentShowsNull() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        #expect(session.executeBlocking(Self.creates[1]).allSatisfy { $0.error == nil })
        let rows = try Self.rows("DESC CONNECTION scf", in: session)
        #expect(rows.contains { $0.count == 2 && $0[0] == "comment" && $0[1] == nil })
    }
}
