// libFuzzer entry point: lexer, parser, redaction and re-parse of the rendering, on arbitrary bytes.
//
// Built by run.sh as one module together with the sources of the CatalogSQLSyntax target, so the import is
// only needed when the package builds it as a separate target.
#if canImport(CatalogSQLSyntax)
    import CatalogSQLSyntax
#endif

/// Runs one input; traps (and so reports a crash) when an invariant of the parser does not hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    let length = text.utf8.count

    var parsedOneByOne: [ParsedStatement] = []
    var firstError: SQLSyntaxError?
    for result in Parser.statements(in: text) {
        switch result {
        case .success(let parsed):
            precondition(parsed.range.line >= 1 && parsed.range.column >= 1, "statement without a position")
            precondition(parsed.range.endOffset <= length, "statement range past the end of the text")
            if firstError == nil { parsedOneByOne.append(parsed) }
            checkRendering(of: parsed.statement)
        case .failure(let error):
            precondition(error.line >= 1 && error.column >= 1 && error.offset <= length, "error without a position")
            precondition(error.code.rawValue == "syntax_error")
            precondition(!error.message.isEmpty)
            if firstError == nil { firstError = error }
        }
    }

    // Parsing the whole text agrees with reading it statement by statement.
    do throws(SQLSyntaxError) {
        let all = try Parser.parse(text)
        precondition(firstError == nil, "parse succeeded where statements(in:) failed")
        precondition(all == parsedOneByOne, "parse and statements(in:) disagree")
    } catch {
        precondition(error == firstError, "parse and statements(in:) report different errors")
    }
    return 0
}

/// The rendering of a statement, redacted or not, parses back to the same tree.
private func checkRendering(of statement: Statement) {
    let plain = statement.erasingPositions()
    reparse(plain.sqlText, expecting: plain)

    let redacted = statement.redacted(isSecret: { _, _ in true }).erasingPositions()
    let redactedText = redacted.sqlText
    reparse(redactedText, expecting: redacted)
    switch redacted {
    case .createConnection(let create):
        precondition(
            create.properties.allSatisfy { $0.value.equals(Statement.redactedValue) }, "a value escaped redaction")
    case .alterConnection(let alter):
        if case .set(let properties) = alter.action {
            precondition(
                properties.allSatisfy { $0.value.equals(Statement.redactedValue) }, "a value escaped redaction")
        }
    default:
        break
    }
    _ = statement.description
}

private func reparse(_ text: String, expecting expected: Statement) {
    do throws(SQLSyntaxError) {
        let again = try Parser.parseOne(text).statement.erasingPositions()
        precondition(again == expected, "rendering does not parse back to the same statement: \(text)")
    } catch {
        preconditionFailure("rendering does not parse: \(text): \(error)")
    }
}
