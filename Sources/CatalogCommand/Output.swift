import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// Writes rendered outcomes: results to standard output, notices and errors where the format puts them.
struct Output {
    var format: OutputFormat
    /// Table results as one `column | value` block per row (the shell's `\x`).
    var expanded = false
    /// Where table results taller than the terminal go instead of standard output (the shell's pager).
    var pager: Pager?

    init(format: OutputFormat) { self.format = format }

    /// Writes one statement's outcome.
    func write(_ outcome: StatementOutcome) {
        write(outcome, source: nil, firstLine: 1)
    }

    /// Writes one statement's outcome; in the table format an error is followed by the line of `source` it
    /// points at, with a caret under its column (`SourceExcerpt`).
    func write(_ outcome: StatementOutcome, source: String?, firstLine: Int) {
        var rendered = format.render(outcome, expanded: expanded)
        if case .failure(let error) = outcome, format == .table, let source {
            rendered.diagnostics += SourceExcerpt.lines(for: error, in: source, firstLine: firstLine)
        }
        writeStandardError(rendered.diagnostics)
        if let pager, format == .table, case .resultSet = outcome, pager.shows(rendered.output) { return }
        writeStandardOutput(rendered.output)
    }

    /// Writes the outcomes of one text's statements, then (on standard error, in every format, so that JSON
    /// keeps one line per statement that ran) a notice naming the statements a failure left unrun.
    func write(_ result: TextOutcome, source: String, firstLine: Int) {
        for outcome in result.outcomes { write(outcome, source: source, firstLine: firstLine) }
        if let notice = result.skippedNotice { note("NOTICE: " + notice) }
    }

    /// Reports an error that belongs to no statement (opening the catalog, a command's operation).
    func fail(_ error: any Error) {
        let rendered: RenderedError
        switch error {
        case let error as CatalogError: rendered = RenderedError(error)
        default: rendered = RenderedError(code: CatalogError.Code.ioError.rawValue, message: "\(error)")
        }
        let text = format.renderError(rendered)
        writeStandardError(text.diagnostics)
        writeStandardOutput(text.output)
    }

    /// An informational line for people, always on standard error so that stdout stays machine-readable.
    func note(_ message: String) { writeStandardError(message + "\n") }
}

func writeStandardOutput(_ text: String) {
    guard !text.isEmpty else { return }
    FileHandle.standardOutput.write(Data(text.utf8))
}

func writeStandardError(_ text: String) {
    guard !text.isEmpty else { return }
    FileHandle.standardError.write(Data(text.utf8))
}
