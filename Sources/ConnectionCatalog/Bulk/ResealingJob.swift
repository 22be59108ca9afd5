internal import CatalogSealing
internal import Dispatch

/// A chunk of encoded records re-sealed on the other cores while the writer's thread puts the previous chunk back
/// (`Catalog.rotateDataKey`): LMDB calls stay on that thread, and the sealing of one chunk overlaps the writing of
/// the one before.
final class ResealingJob: @unchecked Sendable {
    // Safe because: `result` is written once by the job before it signals `done`, and read only after `wait`.
    private var result: Result<[[UInt8]], any Error>?
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    /// Starts re-sealing `records` (`RecordResealing.reseal` each, on every core) for `catalogID` with `sealer`.
    init(_ records: [[UInt8]], catalogID: [UInt8], sealer: Sealer) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            var records = records
            result = Result {
                try RecordResealing.reseal(all: &records, catalogID: catalogID, with: sealer)
                return records
            }
            done.signal()
        }
    }

    /// The re-sealed records, once the job is done.
    ///
    /// - Throws: the first error of `RecordResealing.reseal`, in record order.
    func wait() throws -> [[UInt8]] {
        if !waited {
            done.wait()
            waited = true
        }
        return try result!.get()
    }

    deinit {
        if !waited { done.wait() }
    }
}
