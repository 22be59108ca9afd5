public import CatalogStorage
internal import Synchronization

extension EtcdStore: MirroredReading {
    /// How many reads the node-local copy has served (0 when none is kept).
    package var mirroredReads: Int { mirror?.servedReads.load(ordering: .relaxed) ?? 0 }

    /// Runs `body` on the node-local copy of `Options.readCacheKeyspaces` (`EtcdMirror`) at one revision, at least
    /// this client's newest write; other keyspaces are read from etcd at that same revision. `nil` when no copy is
    /// kept or it cannot serve now. The first call starts loading the copy.
    public func readMirrored<R>(_ body: (AnyStorageReading) throws -> R) throws -> R? {
        guard let mirror, let state = mirror.state() else { return nil }
        let (client, pageSize) = (client, options.scanPageSize)
        let snapshot = MirrorSnapshot(state: state) {
            EtcdSnapshot(client: client, layout: state.layout, revision: state.revision, pageSize: pageSize)
        }
        return try body(AnyStorageReading(snapshot))
    }
}
