internal import CLMDB
internal import Dispatch
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

extension Environment {
    /// A compacted copy exactly as `copy(to:compact: true)` writes it (`0600`, one snapshot, synced, renamed into
    /// place, directory synced), whose bytes also pass through `observer` in order, on the calling thread, as they
    /// are written (each lent for the call only): a backup checksums its copy while LMDB writes it, instead of
    /// reading it again afterwards.
    ///
    /// `mdb_env_copyfd2` writes into a pipe on a thread of its own; this thread reads the pipe, writes the file and
    /// calls `observer`. There is no fallback to a plain copy: if compaction fails this throws, and the caller
    /// takes `copy(to:)`.
    ///
    /// - Throws: `StorageError` with the `errno` or LMDB code of the step that failed; the temporary file is removed.
    package func copy(
        to destination: String, observing observer: (UnsafeRawBufferPointer) -> Void
    ) throws(StorageError) -> CopyResult {
        precondition(
            writerThread.load(ordering: .relaxed) != UInt(pthread_self()),
            "copy takes LMDB's writer lock; do not call it inside a write transaction")
        var stat = MDB_stat()
        mdb_env_stat(handle.pointer, &stat)
        let pageSize = Int(stat.ms_psize)
        return try writeCopyFile(at: destination) { fd, temporary throws(StorageError) in
            var pipeEnds: [Int32] = [-1, -1]
            guard pipe(&pipeEnds) == 0 else { throw StorageError.system("pipe", path: temporary) }
            let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
            defer { close(readEnd) }
            _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
            // A pipe of 1 MiB (Linux's F_SETPIPE_SZ, 1031, which Glibc's module does not export), so that LMDB's 1 MiB
            // writes rarely wait for this thread; where it is refused, the default pipe works, only slower.
            _ = fcntl(writeEnd, 1031, 1 << 20)

            // The copy, on a thread of its own; it closes its end of the pipe when done, which ends the reading below.
            let finished = DispatchSemaphore(value: 0)
            let outcome = Mutex<StorageError?>(nil)
            DispatchQueue.global(qos: .userInitiated).async {
                do throws(StorageError) {
                    try self.copyFromSnapshot(into: writeEnd, compact: true)
                } catch {
                    outcome.withLock { $0 = error }
                }
                close(writeEnd)
                finished.signal()
            }

            // Read everything the copy writes, even after a failure here: a writer left blocked on a full pipe would
            // never finish, and one whose reader closed the pipe would get SIGPIPE.
            let chunkSize = 1 << 20
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            var failure: StorageError?
            var total = 0
            func deliver(_ bytes: UnsafeRawBufferPointer) {
                guard failure == nil else { return }
                observer(bytes)
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        failure = StorageError.system("write", path: temporary)
                        return
                    }
                    offset += written
                }
                total += bytes.count
            }
            while true {
                let count = Glibc.read(readEnd, buffer.baseAddress, chunkSize)
                if count < 0 {
                    if errno == EINTR { continue }
                    if failure == nil { failure = StorageError.system("read", path: temporary) }
                    break
                }
                if count == 0 { break }
                deliver(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
            finished.wait()
            if let error = outcome.withLock({ $0 }) { throw error }
            if let failure { throw failure }
            // A compacted copy starts with its two meta pages (mdb_env_copyfd2 writes them first).
            guard total >= 2 * pageSize else {
                throw StorageError(
                    code: .corrupted, operation: "mdb_env_copyfd2", message: "the copy is shorter than its meta pages")
            }
            return CopyResult(compacted: true, bytes: total)
        }
    }
}
