import CatalogSQL
import ConnectionCatalog
import Testing

@Suite struct ResultSetTests {
    @Test func plainRowsAndOptionalRowsAreTheSameResult() {
        let plain = ResultSet(columns: ["a", "b"], rows: [["1", "2"]])
        let optional = ResultSet(columns: ["a", "b"], rows: [["1", "2"] as [String?]])
        #expect(plain == optional)
        #expect(plain.rows == [["1", "2"]])
        #expect(plain.notices.isEmpty)
    }

    @Test func nullDiffersFromEmptyString() {
        let null = ResultSet(columns: ["comment"], rows: [[nil] as [String?]])
        let empty = ResultSet(columns: ["comment"], rows: [[""]])
        #expect(null != empty)
    }

    @Test func noticesTakePartInEquality() {
        var withNotice = RenderingFixtures.show
        withNotice.notices = ["hello"]
        #expect(withNotice != RenderingFixtures.show)
    }

    @Test func onlyFailureIsAFailure() {
        #expect(StatementOutcome.failure(RenderingFixtures.notFound).isFailure)
        #expect(!StatementOutcome.ok(notices: []).isFailure)
        #expect(!StatementOutcome.resultSet(RenderingFixtures.emptyShow).isFailure)
    }

    @Test func renderedErrorFromCatalogErrorKeepsCodeMessageAndPosition() {
        let error = CatalogError(
            .syntaxError, "unexpected ';'", details: ["line": "3", "column": "14", "expected": "name"]
        )
        #expect(
            RenderedError(error)
                == RenderedError(code: "syntax_error", message: "unexpected ';'", line: 3, column: 14)
        )
    }

    @Test func renderedErrorFromCatalogErrorWithoutPositionHasNone() {
        let error = CatalogError(.notFound, "connection 'x' does not exist", details: ["line": "not a number"])
        let rendered = RenderedError(error)
        #expect(rendered.code == "not_found")
        #expect(rendered.line == nil)
        #expect(rendered.column == nil)
    }
}
