import Foundation
import Histogram

/// The lines the tool prints: throughput and p50 / p99 / p999 in microseconds, per process and in total.
enum LoadReport {
    static func line(_ label: String, _ reports: [ProcessReport]) -> String {
        var describe = reports[0].describe
        var alter = reports[0].alter
        for report in reports.dropFirst() {
            describe.add(report.describe)
            alter.add(report.alter)
        }
        // Processes run side by side from one start time, so their rates add up.
        let describeRate = reports.reduce(0.0) { $0 + Double($1.describe.totalCount) / $1.seconds }
        let alterRate = reports.reduce(0.0) { $0 + Double($1.alter.totalCount) / $1.seconds }
        let seconds = reports.map(\.seconds).max() ?? 0
        let readers = reports.reduce(0) { $0 + $1.readers }
        let describeErrors = reports.reduce(0) { $0 + $1.describeErrors }
        let alterErrors = reports.reduce(0) { $0 + $1.alterErrors }
        return """
            \(label): \(String(format: "%.1f", seconds)) s, \(readers) reader(s), \(reports.count) writer(s)
              DESC  \(rate(describeRate)) \(percentiles(describe))  (\(describe.totalCount) statements, \(describeErrors) errors)
              ALTER \(rate(alterRate)) \(percentiles(alter))  (\(alter.totalCount) commits, \(alterErrors) errors)
            """
    }

    static func rate(_ perSecond: Double) -> String {
        String(format: "%9.0f/s", perSecond)
    }

    static func percentiles(_ histogram: Histogram<UInt64>) -> String {
        guard histogram.totalCount > 0 else { return "(none)" }
        let values = [50.0, 99.0, 99.9].map { micros(histogram.valueAtPercentile($0)) }
        return "p50 \(values[0])  p99 \(values[1])  p999 \(values[2])  max \(micros(histogram.max))"
    }

    /// Nanoseconds as microseconds, one decimal under 100 µs.
    static func micros(_ nanoseconds: UInt64) -> String {
        let value = Double(nanoseconds) / 1_000
        return value < 100 ? String(format: "%.1f µs", value) : String(format: "%.0f µs", value)
    }
}
