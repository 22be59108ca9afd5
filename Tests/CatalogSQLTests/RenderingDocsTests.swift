import CatalogSQL
import ConnectionCatalog
import Foundation
import Testing

/// docs/cli.md shows real output: each example line below must appear in it verbatim.
@Suite struct RenderingDocsTests {
    private static func cliDoc() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
    }

    @Test(arguments: [
        StatementOutcome.resultSet(RenderingFixtures.show),
        .resultSet(RenderingFixtures.emptyShow),
        .ok(notices: []),
        .ok(notices: [RenderingFixtures.notice]),
    ])
    func jsonExamplesMatchTheRenderer(outcome: StatementOutcome) throws {
        #expect(try Self.cliDoc().contains(OutputFormat.json.render(outcome).output))
    }

    @Test(arguments: [RenderingFixtures.show])
    func tableExamplesMatchTheRenderer(result: ResultSet) throws {
        #expect(try Self.cliDoc().contains(OutputFormat.table.render(.resultSet(result)).output))
    }

    @Test func csvExampleMatchesTheRenderer() throws {
        let lf = OutputFormat.csv.render(.resultSet(RenderingFixtures.show)).output
            .replacingOccurrences(of: "\r\n", with: "\n")
        #expect(try Self.cliDoc().contains(lf))
    }

    /// The DESC example is a real DESC of the connection the example creates, with its clock-made cells
    /// (times, external ID) set to the values the page shows.
    @Test func describeExampleIsARealDescribe() throws {
        let fixture = try SessionFixture(creator: "root")
        let session = fixture.session()
        let created = session.executeBlocking(Self.createSalesFunction)
        #expect(created.allSatisfy { $0.error == nil }, "\(created)")
        let outcome = try #require(session.executeBlocking("DESC CONNECTION sales_fn").first?.resultSet)
        let shown: [String: String] = [
            "created_time": "2026-05-11T09:36:51.548Z", "last_modified_time": "2026-05-11T09:36:51.548Z",
            "EXTERNAL_ID": "Ab12Cd34Ef56Gh78",
        ]
        let rows = outcome.rows.map { row in [row[0], shown[row[0] ?? ""] ?? row[1]] }
        let text = OutputFormat.table.render(.resultSet(ResultSet(columns: outcome.columns, rows: rows))).output
        #expect(try Self.cliDoc().contains(text), "docs/cli.md should show:\n\(text)")
    }

    /// The error examples are real errors of a real session, in the table and JSON forms.
    @Test func errorExamplesAreRealErrors() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let syntax = try #require(session.executeBlocking("SHOW CONNECTIONS;\nDESC CONECTION x;").last?.error)
        let missing = try #require(session.executeBlocking("DESC CONNECTION nope").first?.error)
        let document = try Self.cliDoc()
        for error in [syntax, missing] {
            let table = OutputFormat.table.renderError(error).diagnostics
            let json = OutputFormat.json.renderError(error).output
            #expect(document.contains(table), "docs/cli.md should show:\n\(table)")
            #expect(document.contains(json), "docs/cli.md should show:\n\(json)")
        }
    }

    static let createSalesFunction = """
        CREATE API CONNECTION sales_fn TYPE = CLOUD_FUNCTION PROVIDER = 'aliyun' REGION = 'cn-hangzhou'
            ROLE_ARN = 'acs:ram::1234567890:role/lakehouse' CODE_BUCKET = 'lake-code' COMMENT = 'Sales, EU "prod"'
        """
}
