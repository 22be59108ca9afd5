internal import CatalogSealing

/// The keyed checksum that authenticates a backup, computed as its manifest's format version says
/// (docs/backup.md, "The checksum").
///
/// - Format 1: one keyed BLAKE2b-256 pass over a domain string, the manifest body, the data length and the data.
/// - Format 2 (written since): a keyed BLAKE2b-256 tree (`TreeChecksum`) over the data in 8 MiB leaves hashed
///   on every core, its root bound to a domain string and the manifest body. The body comes last, so a backup
///   is checksummed while LMDB writes it, whatever snapshot the copy turns out to hold.
enum BackupChecksum {
    case sequential(StreamingChecksum)
    case tree(TreeChecksum)

    /// The checksum that a manifest of format `version` with `body` is checked with; feed it the data next.
    static func checking(version: Int, body: [UInt8], dataBytes: Int, key: ChecksumKey) -> BackupChecksum {
        guard version == 1 else { return .tree(TreeChecksum(key: key)) }
        let checksum = key.makeChecksum()
        checksum.update(Array("connection-catalog-backup v1\n".utf8))
        checksum.update(bigEndian(UInt64(body.count)))
        checksum.update(body)
        checksum.update(bigEndian(UInt64(dataBytes)))
        return .sequential(checksum)
    }

    /// The checksum a new backup is written with (format 2); feed it the data, then finalize with the body.
    static func writing(key: ChecksumKey) -> BackupChecksum { .tree(TreeChecksum(key: key)) }

    /// Feeds the next bytes of the data file.
    func update(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .sequential(let checksum): checksum.update(bytes)
        case .tree(let checksum): checksum.update(bytes)
        }
    }

    /// The 32-byte checksum. Format 2 binds `body` (the manifest without its checksum line) here; format 1 was
    /// bound to its body at the start.
    func finalize(body: [UInt8]) -> [UInt8] {
        switch self {
        case .sequential(let checksum): return checksum.finalize()
        case .tree(let checksum): return checksum.finalize(binding: Array("connection-catalog-backup v2\n".utf8) + body)
        }
    }
}
