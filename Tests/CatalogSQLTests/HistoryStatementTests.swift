import CatalogSQL
import CatalogTestSupport
import ConnectionCatalog
import Testing

/// SHOW CONNECTION HISTORY and DESC CONNECTION … AS OF VERSION, after each kind of change.
@Suite struct HistoryStatementTests {
    static let create = """
        CREATE STORAGE CONNECTION x TYPE = OSS ENDPOINT = 'oss-cn-hangzhou.aliyuncs.com'
            ACCESS_ID = 'LTAI5tExampleId' ACCESS_KEY = 'history-secret-000001'
        """

    /// A connection taken through create, alter (plain and secret), comment, rename, rotate, disable, enable.
    static func changedSession() throws -> (SessionFixture, Session) {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let outcomes = session.executeBlocking(
            """
            \(create);
            ALTER CONNECTION x SET ENDPOINT = 'oss-cn-shanghai.aliyuncs.com';
            ALTER CONNECTION x SET ACCESS_KEY = 'history-secret-000002';
            ALTER CONNECTION x SET COMMENT = 'logs';
            ALTER CONNECTION x RENAME TO y;
            ALTER CONNECTION y ROTATE EXTERNAL_ID;
            ALTER CONNECTION y DISABLE;
            ALTER CONNECTION y ENABLE
            """)
        #expect(!outcomes.contains { $0.isFailure }, "\(outcomes)")
        return (fixture, session)
    }

    @Test func historyHasOneRowPerVersionNamingEachChangeButNoValue() throws {
        let (_, session) = try Self.changedSession()
        let result = try #require(session.executeBlocking("SHOW CONNECTION HISTORY y").first?.resultSet)
        #expect(result.columns == ["version", "changed_time", "change", "changed_properties"])
        #expect(result.rows.map { $0[0] } == (1...8).map { "\($0)" })
        #expect(
            result.rows.map { $0[2] } == ["create", "alter", "alter", "alter", "rename", "rotate", "disable", "enable"])
        #expect(
            result.rows.map { $0[3] } == [nil, "ENDPOINT", "ACCESS_KEY", "comment", "name", "EXTERNAL_ID", nil, nil])
        for row in result.rows { #expect(row[1]?.count == 24 && row[1]?.hasSuffix("Z") == true) }
        let times = result.rows.compactMap { $0[1] }
        #expect(times == times.sorted())
        for format in OutputFormat.allCases {
            let rendered = format.render(.resultSet(result))
            #expect(!rendered.output.contains("history-secret"), "\(format)")
        }
    }

    /// In JSON each version is one array of four values (NULL as `null`); in CSV one record under the header.
    @Test func historyInJSONAndCSVKeepsOneRecordPerVersion() throws {
        let (_, session) = try Self.changedSession()
        let outcome = try #require(session.executeBlocking("SHOW CONNECTION HISTORY y").first)
        let json = OutputFormat.json.render(outcome).output
        #expect(
            json.hasPrefix(
                "{\"columns\": [\"version\", \"changed_time\", \"change\", \"changed_properties\"], \"rows\": [[\"1\", \""
            ))
        #expect(json.contains("\"create\", null], [\"2\", \""))
        #expect(json.contains("\"rename\", \"name\"]"))
        #expect(json.split(separator: "\n").count == 1)
        let csv = OutputFormat.csv.render(outcome).output.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(csv.first == "version,changed_time,change,changed_properties")
        #expect(csv.count == 9)
        #expect(csv[1].hasPrefix("1,") && csv[1].hasSuffix(",create,"))
        #expect(csv[5].hasSuffix(",rename,name"))
    }

    @Test func describeAsOfVersionShowsThatVersionWithTheNameItHad() throws {
        let (_, session) = try Self.changedSession()
        let current = try #require(session.executeBlocking("DESC CONNECTION y").first?.resultSet?.info)
        let first = try #require(session.executeBlocking("DESC CONNECTION y AS OF VERSION 1").first?.resultSet?.info)
        #expect(first["name"] == "x" && first["version"] == "1" && first["ENDPOINT"] == "oss-cn-hangzhou.aliyuncs.com")
        #expect(first["ACCESS_KEY"] == "********")
        let beforeRotation = try #require(
            session.executeBlocking("DESC CONNECTION y AS OF VERSION 5").first?.resultSet?.info)
        #expect(beforeRotation["name"] == "y" && beforeRotation["comment"] == "logs")
        #expect(beforeRotation["EXTERNAL_ID"] == first["EXTERNAL_ID"], "the external ID survives alter and rename")
        #expect(beforeRotation["EXTERNAL_ID"] != current["EXTERNAL_ID"], "and changes with ROTATE")
        let disabled = try #require(session.executeBlocking("DESC CONNECTION y AS OF VERSION 7").first?.resultSet?.info)
        #expect(disabled["enabled"] == "DISABLED")
        let latest = try #require(session.executeBlocking("DESC CONNECTION y AS OF VERSION 8").first?.resultSet?.info)
        #expect(latest == current)
    }

    @Test func aVersionThatNeverWasIsNotFoundAtItsNumber() throws {
        let (_, session) = try Self.changedSession()
        let error = try #require(session.executeBlocking("DESC CONNECTION y AS OF VERSION 42").first?.error)
        #expect(error.code == "not_found" && error.message.contains("SHOW CONNECTION HISTORY y"))
        #expect(error.line == 1 && error.column == 33)
        let missing = try #require(session.executeBlocking("SHOW CONNECTION HISTORY nobody").first?.error)
        #expect(missing.code == "not_found" && missing.column == 25)
        let zero = try #require(session.executeBlocking("DESC CONNECTION y AS OF VERSION 0").first?.error)
        #expect(zero.code == "syntax_error")
    }

    @Test func historyInsideATransactionSeesThePendingVersions() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        _ = session.executeBlocking("\(Self.create); BEGIN; ALTER CONNECTION x SET COMMENT = 'pending'")
        let result = try #require(session.executeBlocking("SHOW CONNECTION HISTORY x").first?.resultSet)
        #expect(result.rows.map { $0[2] } == ["create", "alter"])
        #expect(session.executeBlocking("ROLLBACK").first?.isFailure == false)
        #expect(try #require(session.executeBlocking("SHOW CONNECTION HISTORY x").first?.resultSet).rows.count == 1)
    }
}
