internal import Dispatch

#if canImport(Glibc)
    internal import Glibc
#endif

/// Whole-catalog work that needs no order (decoding and checking records, opening and sealing values), spread over
/// the machine's cores a chunk at a time.
///
/// The thread that owns the storage transaction gathers a chunk of entries (pointers into the snapshot, nothing
/// copied), hands its parts to every core, waits for them, and goes on with the next chunk: storage calls stay on
/// that thread, as LMDB requires, and memory stays one chunk's worth of pointers whatever the catalog's size.
enum ChunkedWork {
    /// The cores to use: the processors online, at least one.
    static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Entries gathered before the cores are given work: enough that handing over costs little beside the
    /// microseconds each entry takes, few enough that a chunk's pointers stay in cache.
    static let chunkSize = 4096

    /// Runs `body` over `count` items split into parts, on every core, and returns each part's result in the
    /// order of the parts. `body` must touch only what its part owns (or what nobody changes meanwhile).
    static func run<Part>(count: Int, _ body: (Range<Int>) -> Part) -> [Part] {
        guard count > 0 else { return [] }
        let parts = cores == 1 || count < 64 ? 1 : min(count / 32, cores * 4)
        guard parts > 1 else { return [body(0..<count)] }
        let results = UnsafeMutableBufferPointer<Part?>.allocate(capacity: parts)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            // Safe because: each part writes only its own slot of `results`, `body` is shared read-only, and
            // `concurrentPerform` returns only after every part has finished.
            let shared = UncheckedShared((results, body))
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let (results, body) = shared.value
                let lower = count * part / parts
                let upper = count * (part + 1) / parts
                results[part] = body(lower..<upper)
            }
        }
        return results.map { $0! }
    }
}

/// A value handed to the threads of `ChunkedWork.run`, which never change it while they run.
struct UncheckedShared<Value>: @unchecked Sendable {
    // Safe because: the users above give every thread its own slots to write and only read the rest.
    let value: Value

    init(_ value: Value) { self.value = value }
}
