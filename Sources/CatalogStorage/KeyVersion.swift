/// The version of a key as a snapshot read it; a change set commits only if every version it read still holds.
///
/// Each backend stamps versions its own way and compares only its own: LMDB by the stored bytes (exact, as
/// the writer compares them under its lock), etcd by mod revision (a key read as absent is revision 0).
public struct KeyVersion: Sendable, Hashable {
    package enum Stamp: Sendable, Hashable {
        case absent
        case content([UInt8])
        case revision(Int64)
        case digest(UInt64, count: Int)
        /// A range read on a backend with revisions: the snapshot's revision and the mod revision of every
        /// entry the scan visited, in key order.
        case revisions(snapshot: Int64, seen: [KeyRevision])
    }

    /// A key as a range read saw it, with its mod revision.
    package struct KeyRevision: Sendable, Hashable {
        package var key: [UInt8]
        package var modRevision: Int64

        package init(key: [UInt8], modRevision: Int64) {
            self.key = key
            self.modRevision = modRevision
        }
    }

    package let stamp: Stamp

    package init(_ stamp: Stamp) { self.stamp = stamp }

    /// The key was absent.
    public static let absent = KeyVersion(.absent)

    /// The version of a value whose backend keeps no revision: the bytes themselves.
    public static func content(_ bytes: [UInt8]) -> KeyVersion { KeyVersion(.content(bytes)) }

    /// A backend's revision number for the key.
    public static func revision(_ revision: Int64) -> KeyVersion {
        revision == 0 ? .absent : KeyVersion(.revision(revision))
    }
}

extension KeyVersion: CustomStringConvertible {
    /// Never the bytes: a version may stamp a sealed record.
    public var description: String {
        switch stamp {
        case .absent: "absent"
        case .content(let bytes): "content(\(bytes.count) bytes)"
        case .revision(let revision): "revision \(revision)"
        case .digest(_, let count): "digest of \(count) entries"
        case .revisions(let snapshot, let seen): "revisions of \(seen.count) entries at revision \(snapshot)"
        }
    }
}
