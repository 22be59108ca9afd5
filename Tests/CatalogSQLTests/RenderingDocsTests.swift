import CatalogSQL
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
        .failure(RenderingFixtures.syntaxError),
        .failure(RenderingFixtures.notFound),
    ])
    func jsonExamplesMatchTheRenderer(outcome: StatementOutcome) throws {
        #expect(try Self.cliDoc().contains(OutputFormat.json.render(outcome).output))
    }

    @Test(arguments: [RenderingFixtures.describe, RenderingFixtures.show])
    func tableExamplesMatchTheRenderer(result: ResultSet) throws {
        #expect(try Self.cliDoc().contains(OutputFormat.table.render(.resultSet(result)).output))
    }

    @Test func csvExampleMatchesTheRenderer() throws {
        let lf = OutputFormat.csv.render(.resultSet(RenderingFixtures.show)).output
            .replacingOccurrences(of: "\r\n", with: "\n")
        #expect(try Self.cliDoc().contains(lf))
    }

    @Test func errorLinesMatchTheRenderer() throws {
        for error in [RenderingFixtures.syntaxError, RenderingFixtures.notFound] {
            #expect(try Self.cliDoc().contains(OutputFormat.table.renderError(error).diagnostics))
        }
    }
}
