public import CatalogSealing
public import ConnectionCatalog
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// What an export wrote.
public struct ExportSummary: Sendable, Hashable {
    /// Connections written.
    public var connections: Int
    /// The file's length in bytes.
    public var bytes: Int
}

/// Logical export and import: a versioned, line-per-record file with secrets still sealed, portable across
/// machines, architectures and schema versions (LMDB files are not). docs/backup.md gives the format.
public enum CatalogTransfer: Sendable {
    /// Writes every current connection of `catalog` (one snapshot; only `workspace`'s when given) to the new file
    /// `file`: a header line, one line per connection, a trailer with a keyed checksum. Written `0600` under a
    /// temporary name, synced and renamed into place. History is not exported (a backup keeps it).
    ///
    /// - Throws: `CatalogError` `.alreadyExists` if `file` exists, `.ioError`, `.wrongKey` if another process
    ///   re-keyed the catalog since it was opened, `.integrityError` for a record that does not decode.
    @discardableResult
    public static func export(
        _ catalog: Catalog, to file: String, workspace: WorkspaceName? = nil, progress: ProgressHandler? = nil
    ) throws(CatalogError) -> ExportSummary {
        guard BackupFiles.kind(of: file) == nil else {
            throw CatalogError(
                .alreadyExists, "'\(file)' already exists; exports are never written over, so name a new file",
                details: ["path": file])
        }
        let output = try AtomicFile(creating: file)
        let checksum = ChecksumKey(master: catalog.masterKey).makeChecksum()
        checksum.update(ExportFormat.checksumDomain)
        let encoder = ExportFormat.encoder()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var written = 0
        func flush() throws(CatalogError) {
            checksum.update(buffer)
            try output.write(buffer)
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        func line(_ value: some Encodable) throws {
            buffer += try encoder.encode(value)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 { try flush() }
        }
        var total = 0
        var done = 0
        do {
            try catalog.exportSnapshot(
                workspace: workspace,
                header: { source in
                    total = source.connectionCount
                    let now = nowMilliseconds()
                    try line(
                        ExportFormat.Header(
                            format: ExportFormat.formatName, formatVersion: ExportFormat.formatVersion,
                            catalogID: catalog.catalogIDHex, schemaVersion: source.schemaVersion,
                            exportedAt: isoTime(milliseconds: now), exportedAtMilliseconds: now,
                            connections: source.connectionCount, history: false,
                            keyring: Data(source.wrappedKeyring).base64EncodedString(),
                            checkValue: Data(source.checkValue).base64EncodedString()))
                },
                record: { connection in
                    try line(ExportFormat.Record(connection))
                    done += 1
                    progress?(OperationProgress(phase: "exporting", unit: .records, done: done, total: total))
                })
            try flush()
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.ioError, "writing the export failed: \(error)")
        }
        let trailer = ExportFormat.Trailer(
            end: ExportFormat.formatName, connections: done, checksum: StreamingChecksum.hex(checksum.finalize()))
        do { buffer = Array(try encoder.encode(trailer)) + [0x0A] } catch {
            throw CatalogError(.ioError, "writing the export failed: \(error)")
        }
        try output.write(buffer)
        written += buffer.count
        try output.commit()
        return ExportSummary(connections: done, bytes: written)
    }

    /// Imports the export file `file` into `catalog`, in one write transaction (all or nothing).
    ///
    /// The file is authenticated first: its header's check value must open under `sourceMaster` (the master key
    /// of the catalog that exported it; `nil` means `catalog`'s own key, right for the same catalog or one
    /// restored from it), and its trailer's keyed checksum must match every byte before it. Every sealed value is
    /// then opened with the source keyring and re-sealed under `catalog`'s keys; everything else (id, name,
    /// workspace, type, properties, comment, enabled, creator, times, version, external ID) is kept as it was.
    ///
    /// - Throws: `CatalogError` `.wrongKey` (the source key does not match the export), `.integrityError`
    ///   (truncated, altered or malformed file), `.catalogTooNew` (a newer export format or connection type),
    ///   `.conflict` (under `.fail`; nothing imported), `.notFound`, `.ioError`.
    @discardableResult
    public static func importFile(
        _ file: String, into catalog: Catalog, sourceMaster: MasterKey? = nil,
        onConflict: ImportConflictPolicy = .fail, progress: ProgressHandler? = nil
    ) throws(CatalogError) -> ImportSummary {
        let opened = try BackupFiles.openRegularFile(file, followLinks: true) { what in
            CatalogError(
                .invalidValue,
                "'\(file)' is \(what); import expects an export file, the single file `catalog export FILE` writes",
                details: ["path": file])
        }
        guard let fd = opened else {
            throw CatalogError(
                .notFound,
                "there is no export file '\(file)'; check the path (import reads a file `catalog export` wrote)",
                details: ["path": file])
        }
        defer { close(fd) }
        let master = sourceMaster ?? catalog.masterKey
        let source = try authenticate(fd, file: file, sourceMaster: master, progress: progress)
        let keyring: Keyring
        do { keyring = try Keyring.unwrap(source.header.keyring, with: master) } catch {
            throw CatalogError(
                error.code == .wrongKey ? .wrongKey : .integrityError,
                "the export's keyring does not open: \(error.message)")
        }
        let total = source.records
        return try catalog.importConnections(
            count: total, sourceCatalogID: source.header.catalogID, sourceKeyring: keyring, onConflict: onConflict,
            progress: { done, total in
                if done % 1000 == 0 || done == total {
                    progress?(OperationProgress(phase: "importing", unit: .records, done: done, total: total))
                }
            },
            from: { each in
                try readRecords(fd, file: file, master: master, expected: source) { try each($0) }
            })
    }

    /// What the first pass over an export found: its header, how many records it holds, and its checksum.
    struct AuthenticatedExport {
        var header: SourceHeader
        var records: Int
        var checksum: [UInt8]
    }

    struct SourceHeader {
        var catalogID: [UInt8]
        var keyring: [UInt8]
    }

    /// The first pass over an export: streams every line, checks header, check value, trailer and checksum, and
    /// counts the records, keeping no more than a line and a chunk in memory.
    private static func authenticate(
        _ fd: Int32, file: String, sourceMaster master: MasterKey, progress: ProgressHandler?
    )
        throws(CatalogError) -> AuthenticatedExport
    {
        func bad(_ what: String) -> CatalogError {
            CatalogError(.integrityError, "'\(file)' is not a complete export (\(what)); use another export")
        }
        let checksum = ChecksumKey(master: master).makeChecksum()
        checksum.update(ExportFormat.checksumDomain)
        var lines = ExportLines(fd: fd, path: file)
        var header: [UInt8]?
        // The latest line: the trailer once the file ends, so it is checksummed only when another line follows.
        var latest: [UInt8] = []
        var count = 0
        var truncated = false
        do {
            reading: while true {
                let more = try lines.next { line -> Bool in
                    guard case .line(let bytes) = line else {
                        if case .unterminated = line { truncated = true }
                        return false
                    }
                    if count > 0 {
                        checksum.update(latest)
                        checksum.update(newline)
                    }
                    latest.removeAll(keepingCapacity: true)
                    latest.append(contentsOf: bytes)
                    if count == 0 { header = latest }
                    count += 1
                    return true
                }
                guard more else { break reading }
                if count % 10_000 == 0 {
                    progress?(OperationProgress(phase: "reading", unit: .bytes, done: lines.bytesRead, total: 0))
                }
            }
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.ioError, "reading '\(file)' failed: \(error)")
        }
        guard !truncated else { throw bad("it does not end with a complete line: truncated") }
        guard count >= 2, let header else { throw bad("it has no header and trailer") }
        let decoder = JSONDecoder()
        let source = try checkedHeader(header, file: file, master: master, decoder: decoder)
        let trailer: ExportFormat.Trailer
        do { trailer = try decoder.decode(ExportFormat.Trailer.self, from: Data(latest)) } catch {
            throw bad("the last line is not the trailer: truncated")
        }
        let computed = checksum.finalize()
        guard StreamingChecksum.matches(computed, Array(trailer.checksum.utf8).hexDecoded()) else {
            throw CatalogError(
                .integrityError,
                "the export's checksum does not match: the file was altered or damaged; use another export")
        }
        let records = count - 2
        guard trailer.end == ExportFormat.formatName, records == source.connections,
            trailer.connections == source.connections
        else { throw bad("its record count does not match its header") }
        return AuthenticatedExport(header: source.header, records: records, checksum: computed)
    }

    /// The header line's checks: format, version, keys, and the source master key against its check value.
    private static func checkedHeader(
        _ line: [UInt8], file: String, master: MasterKey, decoder: JSONDecoder
    ) throws(CatalogError) -> (header: SourceHeader, connections: Int) {
        func bad(_ what: String) -> CatalogError {
            CatalogError(.integrityError, "'\(file)' is not a complete export (\(what)); use another export")
        }
        let header: ExportFormat.Header
        do { header = try decoder.decode(ExportFormat.Header.self, from: Data(line)) } catch {
            throw bad("the first line is not an export header")
        }
        guard header.format == ExportFormat.formatName else { throw bad("the header names another format") }
        guard header.formatVersion <= ExportFormat.formatVersion else {
            throw CatalogError(
                .catalogTooNew,
                "the export has format version \(header.formatVersion), but this program reads up to "
                    + "\(ExportFormat.formatVersion); import it with a newer program")
        }
        guard let checkValue = Data(base64Encoded: header.checkValue),
            let keyring = Data(base64Encoded: header.keyring),
            let catalogID = ConnectionID(hex: header.catalogID)
        else { throw bad("the header's keys are malformed") }
        do { try master.verify(checkValue: Array(checkValue)) } catch {
            throw CatalogError(
                .wrongKey,
                "the export was made by a catalog with another master key; pass that catalog's key file with "
                    + "--source-key-file")
        }
        return (SourceHeader(catalogID: catalogID.bytes, keyring: Array(keyring)), header.connections)
    }

    /// The second pass, inside the import's write: reads the export again from its start, decodes each record line
    /// and hands its connection to `each`, checksumming as it goes. If the file no longer matches what the first
    /// pass authenticated, it throws `integrity_error` at the end, so the write (and the whole import) is undone.
    private static func readRecords(
        _ fd: Int32, file: String, master: MasterKey, expected: AuthenticatedExport, _ each: (Connection) throws -> Void
    ) throws {
        let changed = CatalogError(
            .integrityError, "'\(file)' changed while it was imported; nothing was imported — import it again")
        let checksum = ChecksumKey(master: master).makeChecksum()
        checksum.update(ExportFormat.checksumDomain)
        let decoder = JSONDecoder()
        var lines = ExportLines(fd: fd, path: file)
        var latest: [UInt8] = []
        var count = 0
        while true {
            let more = try lines.next { line -> Bool in
                guard case .line(let bytes) = line else { return false }
                if count > 0 {
                    checksum.update(latest)
                    checksum.update(newline)
                }
                if count > 1 {
                    // The line before this one is a record (this one may be the trailer).
                    let record: ExportFormat.Record
                    do { record = try decoder.decode(ExportFormat.Record.self, from: Data(latest)) } catch {
                        throw CatalogError(
                            .integrityError,
                            "line \(count) of '\(file)' is not a connection record; use another export")
                    }
                    try each(try record.connection(line: count))
                }
                latest.removeAll(keepingCapacity: true)
                latest.append(contentsOf: bytes)
                count += 1
                return true
            }
            guard more else { break }
        }
        guard count == expected.records + 2, StreamingChecksum.matches(checksum.finalize(), expected.checksum) else {
            throw changed
        }
    }
}

private let newline: [UInt8] = [0x0A]
