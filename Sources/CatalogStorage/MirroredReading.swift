/// A store that can serve reads from a node-local copy kept current by its own change stream (etcd's watch):
/// what the catalog uses for reads outside a write, so that DESC costs microseconds instead of a round trip.
///
/// A mirrored snapshot is one revision of the store, never older than this client's own newest write, but it may
/// be a moment behind other nodes' writes. Writes and their reads never use it: they read the store itself, so a
/// change set's versions, and therefore its conflicts, stay exact.
public protocol MirroredReading: Sendable {
    /// Runs `body` on a snapshot of the local copy and returns its result, or returns `nil` without running it
    /// when the copy cannot serve (none is kept, it is still loading, or it is behind this client's newest write
    /// for too long); the caller then reads the store.
    func readMirrored<R>(_ body: (AnyStorageReading) throws -> R) throws -> R?
}
