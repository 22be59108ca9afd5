import ArgumentParser
import CatalogSQL
import ConnectionCatalog
import Foundation

/// `catalog changes [--after REVISION] [--follow] [--count N]`: the catalog's change feed, one line per change,
/// for a service node or an operator who wants to see what changed (never a property value).
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract:
            "Print the change feed: one line per committed change (create, alter, rename, rotate, enable, disable, drop).",
        discussion: """
            Each line gives the revision, the kind of change, the workspace and the connection's name (and, for a \
            rename, the name before). With --format json each line is one JSON object. A `reset` line says that \
            changes were trimmed or compacted away before they could be told: a cache must drop everything.
            Without --follow the command prints what the log holds after --after and exits; with it, it waits \
            for new changes (stop it with Ctrl-C, or give --count).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Print only changes after this revision (default: 0, the whole log; 'latest': only new ones).")
    var after: String = "0"

    @Flag(help: "Keep waiting for new changes instead of exiting at the end of the log.")
    var follow = false

    @Option(help: "Exit after printing this many lines.")
    var count: Int?

    func validate() throws {
        guard after == "latest" || UInt64(after) != nil else {
            throw ValidationError("--after takes a revision (a whole number) or 'latest'")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        let output = Output(format: global.format)
        let catalog = try CatalogOpener(options: global, output: output).open(mustExist: true)
        let start: UInt64
        let end: UInt64?
        do {
            let latest = try catalog.latestChangeRevision()
            start = after == "latest" ? latest : UInt64(after) ?? 0
            end = follow ? nil : latest
        } catch {
            output.fail(error)
            throw OperationFailed()
        }
        // Announced on standard error, so that a follower started by a script can tell when it is listening.
        if follow { output.note("following changes after revision \(start)") }
        let format = global.format
        let limit = count
        let failure = Failure()
        let done = DispatchSemaphore(value: 0)
        Task {
            defer { done.signal() }
            do {
                var printed = 0
                let feed = end.map { catalog.changes(after: start, through: $0) } ?? catalog.changes(after: start)
                for try await event in feed {
                    writeStandardOutput(Self.line(for: event, format: format))
                    printed += 1
                    if let limit, printed >= limit { return }
                }
            } catch {
                failure.error = error
            }
        }
        done.wait()
        if let error = failure.error {
            output.fail(error)
            throw OperationFailed()
        }
    }

    /// One event as a line: JSON with `--format json`, tab-separated words otherwise.
    static func line(for event: CatalogFeedEvent, format: OutputFormat) -> String {
        switch (event, format) {
        case (.reset(let revision), .json):
            return "{\"revision\": \(revision), \"kind\": \"reset\"}\n"
        case (.reset(let revision), _):
            return "\(revision)\treset\n"
        case (.change(let change), .json):
            var fields = [
                "\"revision\": \(change.revision)", "\"kind\": \(JSONString.quoted(change.kind.rawValue))",
                "\"workspace\": \(JSONString.quoted(change.workspace.rawValue))",
                "\"name\": \(JSONString.quoted(change.name.rawValue))",
            ]
            if let previous = change.previousName {
                fields.append("\"previous_name\": \(JSONString.quoted(previous.rawValue))")
            }
            fields += ["\"connection_id\": \"\(change.connectionID)\"", "\"version\": \(change.version)"]
            return "{" + fields.joined(separator: ", ") + "}\n"
        case (.change(let change), _):
            var words = ["\(change.revision)", change.kind.rawValue, change.workspace.rawValue, change.name.rawValue]
            if let previous = change.previousName { words.append(previous.rawValue) }
            return words.joined(separator: "\t") + "\n"
        }
    }
}

/// The error the feed's task ended with, handed to the waiting thread.
private final class Failure: @unchecked Sendable {
    // Safe because: written by the task before it signals the semaphore, read by the thread only after waiting.
    var error: (any Error)?
}
