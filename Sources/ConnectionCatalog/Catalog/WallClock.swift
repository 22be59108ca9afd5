#if canImport(Glibc)
    internal import Glibc
#endif

/// Milliseconds since the Unix epoch, UTC, for created and modified times.
enum WallClock {
    static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
