import Baselines
import CatalogSQL
import ConnectionCatalog
import Foundation
import Histogram
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One acknowledged ALTER: the catalog returned `version` for `comment` on `workspace.name`.
struct Acknowledgement: Codable, Sendable {
    var workspace: String
    var name: String
    var version: UInt64
    var comment: String
}

/// What one process measured: latencies in nanoseconds, counts, the first error of each kind, and every
/// acknowledged ALTER (for the lost-update check).
struct ProcessReport: Codable, Sendable {
    var process: Int
    var pid: Int32
    var readers: Int
    var seconds: Double
    var describe = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    var alter = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    /// Bytes of rendered DESC tables, so the rendering is real work.
    var describeBytes = 0
    var describeErrors = 0
    var alterErrors = 0
    var firstError: String?
    var acknowledged: [Acknowledgement] = []
}

/// Runs one process's share of the load: `readers` DESC threads and one ALTER thread until the deadline.
enum LoadRun {
    static func run(
        catalog: Catalog, targets: [LoadTarget], options: LoadOptions, process: Int, startAtMilliseconds: Int64
    ) -> ProcessReport {
        let wait = startAtMilliseconds - unixMilliseconds()
        if wait > 0 { usleep(UInt32(min(wait, 60_000)) * 1_000) }
        let started = monotonicNanoseconds()
        let deadline = started + UInt64(options.seconds * 1e9)
        let collected = Collector(ProcessReport(process: process, pid: getpid(), readers: options.readers, seconds: 0))
        let group = DispatchGroup()
        for reader in 0..<options.readers {
            group.enter()
            let seed = UInt64(process) << 32 | UInt64(reader)
            Thread {
                let result = describeLoop(catalog: catalog, targets: targets, seed: seed, deadline: deadline)
                collected.state.withLock { report in
                    report.describe.add(result.histogram)
                    report.describeErrors += result.errors
                    report.describeBytes += result.bytes
                    if report.firstError == nil { report.firstError = result.firstError }
                }
                group.leave()
            }.start()
        }
        group.enter()
        Thread {
            // The writer's name holds the run's start time, so comments stay unique on a reused catalog.
            let writerName = "\(String(startAtMilliseconds, radix: 36))-p\(process)"
            let result = alterLoop(
                catalog: catalog, targets: targets, writerName: writerName, seed: UInt64(process), deadline: deadline)
            collected.state.withLock { report in
                report.alter = result.histogram
                report.alterErrors = result.errors
                report.acknowledged = result.acknowledged
                if report.firstError == nil { report.firstError = result.firstError }
            }
            group.leave()
        }.start()
        group.wait()
        let elapsed = Double(monotonicNanoseconds() - started) / 1e9
        return collected.state.withLock { report in
            report.seconds = elapsed
            return report
        }
    }

    /// A reader: `DESC CONNECTION <random>` end to end (parse, read, open EXTERNAL_ID, render the table).
    private static func describeLoop(
        catalog: Catalog, targets: [LoadTarget], seed: UInt64, deadline: UInt64
    )
        -> (histogram: Histogram<UInt64>, errors: Int, firstError: String?, bytes: Int)
    {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var generator = SplitMix64(seed: seed ^ 0xDE5C_0000_0000_0000)
        var sessions: [WorkspaceName: Session] = [:]
        var errors = 0
        var firstError: String?
        var renderedBytes = 0
        while true {
            let start = monotonicNanoseconds()
            guard start < deadline else { break }
            let target = targets[Int(generator.next() % UInt64(targets.count))]
            let session: Session
            if let existing = sessions[target.workspace] {
                session = existing
            } else {
                session = Session(catalog: catalog, workspace: target.workspace)
                sessions[target.workspace] = session
            }
            let outcomes = session.executeBlocking(target.describe)
            if outcomes.count == 1, case .resultSet = outcomes[0] {
                renderedBytes &+= OutputFormat.table.render(outcomes[0]).output.utf8.count
            } else {
                errors += 1
                if firstError == nil { firstError = "DESC \(target.name): \(outcomes)" }
            }
            _ = histogram.record(monotonicNanoseconds() - start)
        }
        return (histogram, errors, firstError, renderedBytes)
    }

    /// The writer: `ALTER CONNECTION <random> SET COMMENT = '<writer>:<seq>'`, each in its own synced commit.
    ///
    /// It calls `CatalogWriter.alter(_:in:_:)`, the call the SQL statement runs, because the statement's
    /// outcome does not carry the new version and the check needs it.
    private static func alterLoop(
        catalog: Catalog, targets: [LoadTarget], writerName: String, seed: UInt64, deadline: UInt64
    )
        -> (histogram: Histogram<UInt64>, errors: Int, firstError: String?, acknowledged: [Acknowledgement])
    {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var generator = SplitMix64(seed: seed ^ 0xA17E_0000_0000_0000)
        var acknowledged: [Acknowledgement] = []
        var errors = 0
        var firstError: String?
        var sequence = 0
        while true {
            let start = monotonicNanoseconds()
            guard start < deadline else { break }
            let target = targets[Int(generator.next() % UInt64(targets.count))]
            sequence += 1
            let comment = "\(writerName):\(sequence)"
            do {
                let altered = try catalog.writeBlocking { writer in
                    try writer.alter(target.name, in: target.workspace, .comment(comment))
                }
                _ = histogram.record(monotonicNanoseconds() - start)
                acknowledged.append(
                    Acknowledgement(
                        workspace: target.workspace.rawValue, name: target.name.rawValue, version: altered.version,
                        comment: comment))
            } catch {
                errors += 1
                if firstError == nil { firstError = "ALTER \(target.name): \(error)" }
            }
        }
        return (histogram, errors, firstError, acknowledged)
    }
}

/// The report the threads of one process add their results to.
private final class Collector: Sendable {
    let state: Mutex<ProcessReport>
    init(_ report: ProcessReport) { state = Mutex(report) }
}

func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

func unixMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
}
