import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// Writes rendered outcomes: results to standard output, notices and errors where the format puts them.
struct Output {
    let format: OutputFormat

    /// Writes one statement's outcome.
    func write(_ outcome: StatementOutcome) {
        let rendered = format.render(outcome)
        writeStandardError(rendered.diagnostics)
        writeStandardOutput(rendered.output)
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
