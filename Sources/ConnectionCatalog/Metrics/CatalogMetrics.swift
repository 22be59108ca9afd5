internal import CatalogStorage
internal import Metrics

/// The catalog's timers: how long `read` (a DESC is one `read` of one connection), `writeBlocking` and `write`
/// take as their callers see them, snapshot and commit included.
///
/// Made once when the catalog opens. Whether a metrics backend is bootstrapped is decided then: without one no
/// clock is read and nothing is recorded, so the DESC path stays as fast as without metrics and allocates
/// nothing. A backend bootstrapped later is seen by catalogs opened later.
struct CatalogMetrics: Sendable {
    /// The operations timed, each one timer.
    enum Operation {
        case read, writeBlocking, write
    }

    /// Whether a real metrics backend was bootstrapped when the catalog opened.
    let timed: Bool
    private let read: Timer
    private let writeBlocking: Timer
    private let write: Timer

    /// Timer: the duration of `Catalog.read`, body included.
    static let readName = "catalog_read_duration_seconds"
    /// Timer: the duration of `Catalog.writeBlocking` and `Catalog.write`, until the commit is durable.
    static let writeName = "catalog_write_duration_seconds"

    /// Makes the timers of a catalog on `backend`.
    init(backend: CatalogBackend) {
        timed = !(MetricsSystem.factory is NOOPMetricsHandler)
        let name = Self.backendName(backend)
        read = Timer(label: Self.readName, dimensions: [(CommitMetricNames.backendLabel, name)])
        writeBlocking = Timer(
            label: Self.writeName, dimensions: [(CommitMetricNames.backendLabel, name), ("mode", "blocking")])
        write = Timer(label: Self.writeName, dimensions: [(CommitMetricNames.backendLabel, name), ("mode", "async")])
    }

    /// The start of a timed operation, or `nil` (and no clock read) without a metrics backend.
    func start() -> ContinuousClock.Instant? { timed ? ContinuousClock.now : nil }

    /// Records the time since `start` under `operation`'s timer; nothing when `start` is `nil`.
    func record(_ operation: Operation, since start: ContinuousClock.Instant?) {
        guard let start else { return }
        let elapsed = start.duration(to: .now)
        switch operation {
        case .read: read.record(duration: elapsed)
        case .writeBlocking: writeBlocking.record(duration: elapsed)
        case .write: write.record(duration: elapsed)
        }
    }

    /// The `backend` label: `lmdb`, or another store's scheme (`etcd` for `etcd://host:port/name`): a small fixed
    /// set, never the address or the name.
    private static func backendName(_ backend: CatalogBackend) -> String {
        switch backend {
        case .lmdb: return "lmdb"
        case .store(let store):
            let scheme = store.description.prefix { $0.isASCII && $0.isLetter }
            guard !scheme.isEmpty, store.description.dropFirst(scheme.count).hasPrefix("://") else { return "store" }
            return String(scheme)
        }
    }
}
