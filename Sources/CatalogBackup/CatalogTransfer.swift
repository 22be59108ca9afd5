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
        let data = Data(try BackupFiles.readAll(fd, path: file))
        let (header, records) = try authenticatedLines(
            of: data, file: file, sourceMaster: sourceMaster ?? catalog.masterKey)
        var connections: [Connection] = []
        connections.reserveCapacity(records.count)
        let decoder = JSONDecoder()
        for (index, range) in records.enumerated() {
            let record: ExportFormat.Record
            do { record = try decoder.decode(ExportFormat.Record.self, from: data[range]) } catch {
                throw CatalogError(
                    .integrityError, "line \(index + 2) of '\(file)' is not a connection record; use another export")
            }
            connections.append(try record.connection(line: index + 2))
            if index % 1000 == 999 || index + 1 == records.count {
                progress?(OperationProgress(phase: "reading", unit: .records, done: index + 1, total: records.count))
            }
        }
        let master = sourceMaster ?? catalog.masterKey
        let keyring: Keyring
        do { keyring = try Keyring.unwrap(header.keyring, with: master) } catch {
            throw CatalogError(
                error.code == .wrongKey ? .wrongKey : .integrityError,
                "the export's keyring does not open: \(error.message)")
        }
        return try catalog.importConnections(
            connections, sourceCatalogID: header.catalogID, sourceKeyring: keyring, onConflict: onConflict
        ) { done, total in
            if done % 1000 == 0 || done == total {
                progress?(OperationProgress(phase: "importing", unit: .records, done: done, total: total))
            }
        }
    }

    struct SourceHeader {
        var catalogID: [UInt8]
        var keyring: [UInt8]
    }

    /// Splits the file into lines, checks header, check value, trailer and checksum; returns the record lines.
    private static func authenticatedLines(
        of data: Data, file: String, sourceMaster master: MasterKey
    )
        throws(CatalogError) -> (SourceHeader, [Range<Data.Index>])
    {
        func bad(_ what: String) -> CatalogError {
            CatalogError(.integrityError, "'\(file)' is not a complete export (\(what)); use another export")
        }
        var lines: [Range<Data.Index>] = []
        var start = data.startIndex
        for index in data.indices where data[index] == 0x0A {
            lines.append(start..<index)
            start = index + 1
        }
        guard start == data.endIndex else { throw bad("it does not end with a complete line: truncated") }
        guard lines.count >= 2 else { throw bad("it has no header and trailer") }
        let decoder = JSONDecoder()
        let header: ExportFormat.Header
        do { header = try decoder.decode(ExportFormat.Header.self, from: data[lines[0]]) } catch {
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
        let trailer: ExportFormat.Trailer
        do { trailer = try decoder.decode(ExportFormat.Trailer.self, from: data[lines[lines.count - 1]]) } catch {
            throw bad("the last line is not the trailer: truncated")
        }
        let checksum = ChecksumKey(master: master).makeChecksum()
        checksum.update(ExportFormat.checksumDomain)
        data[data.startIndex..<lines[lines.count - 1].lowerBound].withUnsafeBytes { checksum.update($0) }
        guard StreamingChecksum.matches(checksum.finalize(), Array(trailer.checksum.utf8).hexDecoded()) else {
            throw CatalogError(
                .integrityError,
                "the export's checksum does not match: the file was altered or damaged; use another export")
        }
        let records = Array(lines[1..<(lines.count - 1)])
        guard trailer.end == ExportFormat.formatName, records.count == header.connections,
            trailer.connections == header.connections
        else { throw bad("its record count does not match its header") }
        return (SourceHeader(catalogID: catalogID.bytes, keyring: Array(keyring)), records)
    }
}
