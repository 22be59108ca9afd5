internal import ConnectionCatalog
internal import Dispatch

#if canImport(Glibc)
    internal import Glibc
#endif

/// Reads a file a chunk ahead of its consumer, on a thread of its own, and writes each chunk to a copy as it goes:
/// the consumer (the backup checksum) works on one chunk while the next is read and copied, so a verify's hashing
/// and its file I/O overlap instead of taking turns.
///
/// Two buffers take turns: the reader fills one while the consumer reads the other.
final class ChunkPipeline: @unchecked Sendable {
    // Safe because: a slot's buffer and count are written by the reader only between `free[slot].wait()` and
    // `filled[slot].signal()`, and read by the consumer only between `filled[slot].wait()` and
    // `free[slot].signal()`; `failure` is written before the reader's last signal and read after it.
    private let buffers: [UnsafeMutableRawBufferPointer]
    private var counts = [0, 0]
    private var failure: CatalogError?
    private let filled = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
    /// Made at 0 and signalled once each at the start: libdispatch traps when a semaphore is freed below the value
    /// it was made with, and the last chunk's slot is never handed back.
    private let free = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
    private let finished = DispatchSemaphore(value: 0)

    /// Starts reading `fd` (`path`, for messages) in chunks of `chunkSize`, writing each to `out` (`copyPath`) when
    /// `out` is not negative.
    init(reading fd: Int32, path: String, copyTo out: Int32, copyPath: String, chunkSize: Int) {
        buffers = (0..<2).map { _ in .allocate(byteCount: chunkSize, alignment: 16) }
        for slot in free { slot.signal() }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            readAll(fd, path: path, copyTo: out, copyPath: copyPath)
            finished.signal()
        }
    }

    /// Lends `body` each chunk of the file in order, and returns once the file has ended.
    ///
    /// - Throws: `CatalogError` `.ioError` for a read or a write that failed.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) -> Void) throws(CatalogError) {
        defer { finished.wait() }
        var slot = 0
        while true {
            filled[slot].wait()
            if let failure { throw failure }
            guard counts[slot] > 0 else { return }
            body(UnsafeRawBufferPointer(rebasing: buffers[slot][0..<counts[slot]]))
            free[slot].signal()
            slot ^= 1
        }
    }

    /// The reader's loop: until the end of the file or the first failure, each chunk read, copied, handed over.
    private func readAll(_ fd: Int32, path: String, copyTo out: Int32, copyPath: String) {
        var slot = 0
        while true {
            free[slot].wait()
            let buffer = buffers[slot]
            var count = 0
            while true {
                count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count < 0, errno == EINTR { continue }
                break
            }
            if count < 0 {
                failure = BackupFiles.ioError("reading", path, stage: "checksum")
            } else if count > 0, out >= 0 {
                do {
                    try BackupFiles.writeAll(out, UnsafeRawBufferPointer(rebasing: buffer[0..<count]), path: copyPath)
                } catch {
                    failure = error
                }
            }
            counts[slot] = max(count, 0)
            filled[slot].signal()
            guard count > 0, failure == nil else { return }
            slot ^= 1
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
