import Metrics
import Synchronization

/// A metrics backend that keeps every value it is given, in memory, for a test to read: counters' totals,
/// recorders' values and timers' durations, each under its label and labels.
///
/// Each test binds its own to the task that opens the catalog or store (`withMetricsFactory`), which is where
/// the library makes its metrics: `swift test` runs every test target in one process, where a global
/// `MetricsSystem.bootstrap` (once per process) would mix every test's counts and switch metrics on for all.
final class RecordingMetricsFactory: MetricsFactory {
    private let values = Mutex<[String: [Double]]>([:])

    /// The total of counter `label` with exactly `dimensions`.
    func counter(_ label: String, _ dimensions: [String: String]) -> Int {
        Int(values.withLock { $0[Self.key(label, dimensions)] ?? [] }.reduce(0, +))
    }

    /// Every value recorded by recorder or timer `label` with exactly `dimensions`, in order.
    func recorded(_ label: String, _ dimensions: [String: String]) -> [Double] {
        values.withLock { $0[Self.key(label, dimensions)] ?? [] }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(factory: self, key: Self.key(label, dimensions))
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(factory: self, key: Self.key(label, dimensions))
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(factory: self, key: Self.key(label, dimensions))
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    fileprivate func append(_ value: Double, at key: String) {
        values.withLock { $0[key, default: []].append(value) }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        key(label, Dictionary(dimensions, uniquingKeysWith: { _, last in last }))
    }

    private static func key(_ label: String, _ dimensions: [String: String]) -> String {
        ([label] + dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: ",")
    }
}

/// One metric's handler: every value it gets goes to the factory under the metric's key.
private final class Handler: CounterHandler, RecorderHandler, TimerHandler {
    let factory: RecordingMetricsFactory
    let key: String

    init(factory: RecordingMetricsFactory, key: String) {
        self.factory = factory
        self.key = key
    }

    func increment(by amount: Int64) { factory.append(Double(amount), at: key) }
    func reset() {}
    func record(_ value: Int64) { factory.append(Double(value), at: key) }
    func record(_ value: Double) { factory.append(value, at: key) }
    func recordNanoseconds(_ duration: Int64) { factory.append(Double(duration), at: key) }
}
