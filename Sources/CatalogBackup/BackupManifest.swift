internal import CatalogSealing
internal import ConnectionCatalog
internal import Foundation

/// The manifest of a backup (`manifest.json` beside `data.mdb`): what the backup holds and the keyed checksum
/// that authenticates it. docs/backup.md gives every byte.
///
/// The manifest never holds a key: data keys appear only as fingerprints, and the checksum and key check are
/// keyed BLAKE2b values that only a holder of the master key can compute.
public struct BackupManifest: Sendable, Hashable {
    /// The `format` value of every manifest.
    public static let formatName = "connection-catalog-backup"
    /// The manifest format version this program writes; it reads this one and every earlier one.
    public static let formatVersion = 2
    /// The manifest's file name inside the backup directory.
    public static let fileName = "manifest.json"
    /// The data file's name inside the backup directory.
    public static let dataFileName = "data.mdb"
    /// The checksum algorithm's name, as this program writes it (format 1 named `blake2b-256-keyed`).
    public static let checksumAlgorithm = "blake2b-256-keyed-tree-8mib"

    /// A data key of the backed-up keyring, named by its fingerprint.
    public struct DataKey: Sendable, Hashable {
        public var id: UInt32
        /// 32 hex digits: keyed BLAKE2b-128 under the master key's fingerprint sub-key (docs/sealing.md).
        public var fingerprint: String
    }

    /// Entries per named database in the backup.
    public struct Records: Sendable, Hashable {
        public var meta: Int
        public var connections: Int
        public var names: Int
        public var history: Int
    }

    /// The format version this manifest was written in: `formatVersion` for a new backup, or an earlier one
    /// read from an older backup (it decides how the checksum is computed).
    public var manifestVersion: Int = formatVersion
    /// The LMDB storage format of the data file (`meta` key `format`).
    public var storageFormat: Int
    /// The catalog's schema version at the moment of the backup.
    public var schemaVersion: Int
    /// The catalog id, 32 hex digits.
    public var catalogID: String
    /// When the backup was taken, milliseconds since the epoch (UTC).
    public var createdAt: Int64
    /// The data file's length in bytes.
    public var dataBytes: Int
    /// Whether the data file is compacted (free pages left out).
    public var compacted: Bool
    public var records: Records
    public var dataKeys: [DataKey]
    /// 64 hex digits: keyed BLAKE2b-256 of a constant under the backup checksum key; tells a wrong master key
    /// from a damaged backup.
    public var keyCheck: String
    /// 64 hex digits: keyed BLAKE2b-256 over the manifest's other bytes and the data file.
    public var checksum: String

    /// The manifest's bytes up to (not including) the checksum line: what the checksum covers besides the data.
    var body: [UInt8] {
        var text = "{\n"
        text += "  \"format\": \"\(Self.formatName)\",\n"
        text += "  \"format_version\": \(manifestVersion),\n"
        text += "  \"storage_format\": \(storageFormat),\n"
        text += "  \"schema_version\": \(schemaVersion),\n"
        text += "  \"catalog_id\": \"\(catalogID)\",\n"
        text += "  \"created_at\": \"\(isoTime(milliseconds: createdAt))\",\n"
        text += "  \"created_at_ms\": \(createdAt),\n"
        text += "  \"data_file\": \"\(Self.dataFileName)\",\n"
        text += "  \"data_bytes\": \(dataBytes),\n"
        text += "  \"compacted\": \(compacted),\n"
        text +=
            "  \"records\": {\"meta\": \(records.meta), \"connections\": \(records.connections), "
            + "\"names\": \(records.names), \"history\": \(records.history)},\n"
        text +=
            "  \"data_keys\": ["
            + dataKeys.map { "{\"id\": \($0.id), \"fingerprint\": \"\($0.fingerprint)\"}" }.joined(separator: ", ")
            + "],\n"
        text += "  \"key_check\": \"\(keyCheck)\",\n"
        text += "  \"checksum_algorithm\": \"\(Self.checksumAlgorithm(version: manifestVersion))\",\n"
        return Array(text.utf8)
    }

    /// The whole manifest file.
    var bytes: [UInt8] { body + Self.checksumLine(checksum) }

    static let checksumPrefix = Array("  \"checksum\": \"".utf8)
    static let checksumSuffix = Array("\"\n}\n".utf8)

    static func checksumLine(_ hex: String) -> [UInt8] { checksumPrefix + Array(hex.utf8) + checksumSuffix }

    /// The key check of `key`: a keyed BLAKE2b of a constant, in hex.
    static func keyCheck(for key: ChecksumKey) -> String {
        StreamingChecksum.hex(key.checksum(of: Array("connection-catalog-backup key-check v1".utf8)))
    }

    /// The checksum algorithm's name in a manifest of format `version`.
    static func checksumAlgorithm(version: Int) -> String {
        version == 1 ? "blake2b-256-keyed" : checksumAlgorithm
    }

    /// Parses a manifest file. Only its shape is checked here; its checksum is checked against the data later.
    ///
    /// - Throws: `CatalogError` `.integrityError` (stage `manifest`) for anything that is not a well-formed
    ///   manifest of this format; `.catalogTooNew` for a newer manifest format.
    static func parse(_ bytes: [UInt8], path: String) throws(CatalogError) -> (manifest: BackupManifest, body: [UInt8])
    {
        func damaged(_ what: String) -> CatalogError {
            CatalogError(
                .integrityError,
                "'\(path)' is not a valid backup manifest (\(what)); the backup is damaged or not a backup — "
                    + "use another backup", details: ["stage": "manifest"])
        }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw damaged("not a JSON object")
            }
            object = parsed
        } catch let error as CatalogError {
            throw error
        } catch {
            throw damaged("not valid JSON")
        }
        guard object["format"] as? String == formatName else {
            throw damaged("its format is not '\(formatName)'")
        }
        guard let version = object["format_version"] as? Int else { throw damaged("no format_version") }
        guard version <= formatVersion else {
            throw CatalogError(
                .catalogTooNew,
                "the backup manifest has format version \(version), but this program reads up to \(formatVersion); "
                    + "verify or restore it with a newer program", details: ["stage": "manifest"])
        }
        guard version >= 1 else { throw damaged("format_version \(version) does not exist") }
        // The checksum line must be last and exact, so that no byte of the file escapes authentication.
        let tailLength = checksumPrefix.count + 64 + checksumSuffix.count
        guard bytes.count > tailLength else { throw damaged("too short") }
        let tailStart = bytes.count - tailLength
        let hex = Array(bytes[(tailStart + checksumPrefix.count)..<(tailStart + checksumPrefix.count + 64)])
        guard bytes[tailStart..<(tailStart + checksumPrefix.count)].elementsEqual(checksumPrefix),
            bytes.suffix(checksumSuffix.count).elementsEqual(checksumSuffix), isLowerHex(hex)
        else { throw damaged("the checksum is not the last line, exactly as written") }
        func string(_ key: String) throws(CatalogError) -> String {
            guard let value = object[key] as? String else { throw damaged("no \(key)") }
            return value
        }
        func integer(_ key: String, in dictionary: [String: Any]? = nil) throws(CatalogError) -> Int {
            guard let value = (dictionary ?? object)[key] as? Int, value >= 0 else { throw damaged("no \(key)") }
            return value
        }
        guard try string("data_file") == dataFileName else { throw damaged("data_file is not \(dataFileName)") }
        guard try string("checksum_algorithm") == checksumAlgorithm(version: version) else {
            throw damaged("unknown checksum algorithm")
        }
        guard let records = object["records"] as? [String: Any] else { throw damaged("no records") }
        guard let keys = object["data_keys"] as? [[String: Any]] else { throw damaged("no data_keys") }
        var dataKeys: [DataKey] = []
        for key in keys {
            guard let id = key["id"] as? Int, let fingerprint = key["fingerprint"] as? String,
                let id32 = UInt32(exactly: id)
            else { throw damaged("a malformed data key") }
            dataKeys.append(DataKey(id: id32, fingerprint: fingerprint))
        }
        guard let compacted = object["compacted"] as? Bool else { throw damaged("no compacted flag") }
        let manifest = BackupManifest(
            manifestVersion: version, storageFormat: try integer("storage_format"),
            schemaVersion: try integer("schema_version"),
            catalogID: try string("catalog_id"), createdAt: Int64(try integer("created_at_ms")),
            dataBytes: try integer("data_bytes"), compacted: compacted,
            records: Records(
                meta: try integer("meta", in: records), connections: try integer("connections", in: records),
                names: try integer("names", in: records), history: try integer("history", in: records)),
            dataKeys: dataKeys, keyCheck: try string("key_check"), checksum: String(decoding: hex, as: UTF8.self))
        return (manifest, Array(bytes[..<tailStart]))
    }
}

func isLowerHex(_ bytes: some Collection<UInt8>) -> Bool {
    bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
}

func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

/// UTC ISO 8601 with milliseconds, as everywhere in the catalog's output.
func isoTime(milliseconds: Int64) -> String { Timestamp.iso8601(millisecondsSinceEpoch: milliseconds) }

/// Milliseconds since the epoch, now, by the catalog's clock.
func nowMilliseconds() -> Int64 { Timestamp.nowMilliseconds() }
