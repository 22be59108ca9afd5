internal import CatalogSealing
internal import Dispatch

/// A chunk of encoded records re-sealed on the other cores while the writer's thread puts the previous chunk back
/// (`RecordResealing.resealAll`): LMDB calls stay on that thread, and the sealing of one chunk overlaps the writing
/// of the one before.
final class ResealingJob: @unchecked Sendable {
    // Safe because: `chunk` and `result` are changed only by the job before it signals `done`, and read only
    // after `wait`.
    private var chunk: RecordChunk
    private var result: Result<Void, any Error>?
    private let done = DispatchSemaphore(value: 0)
    private var waited = false

    /// Starts re-sealing the values of `chunk` (`RecordResealing.reseal` each, on every core) for `catalogID` with
    /// `sealer`.
    init(_ chunk: consuming RecordChunk, catalogID: [UInt8], sealer: Sealer) {
        self.chunk = chunk
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = Result { try RecordResealing.reseal(all: &self.chunk, catalogID: catalogID, with: sealer) }
            done.signal()
        }
    }

    /// The re-sealed chunk, once the job is done.
    ///
    /// - Throws: the first error of `RecordResealing.reseal`, in record order.
    func wait() throws -> RecordChunk {
        if !waited {
            done.wait()
            waited = true
        }
        try result!.get()
        return chunk
    }

    deinit {
        if !waited { done.wait() }
    }
}
