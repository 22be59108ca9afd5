import CatalogStorage
import Foundation

/// Edits a closed catalog's `meta` database directly, through the storage layer, to damage it as a disk, a
/// careless tool or a person might.
enum MetaRecords {
    static func environment(_ path: String) throws -> Environment {
        var options = Environment.Options(databases: ["meta"])
        options.createsDatabases = false
        return try Environment.open(at: path, options: options)
    }

    /// Removes the record `key` and returns its value (the handle closes again on return).
    static func remove(_ key: String, from path: String) throws -> [UInt8]? {
        let environment = try environment(path)
        let meta = try environment.database("meta")
        return try environment.writeBlocking { tx in
            let value = try tx.get(RecordKey(key), in: meta)
            _ = try tx.delete(RecordKey(key), in: meta)
            return value
        }
    }

    /// Removes every record of `meta`.
    static func removeAll(from path: String) throws {
        let environment = try environment(path)
        let meta = try environment.database("meta")
        try environment.writeBlocking { tx in try tx.removeAll(in: meta) }
    }

    /// Puts `value` back under `key`.
    static func put(_ key: String, _ value: [UInt8], into path: String) throws {
        let environment = try environment(path)
        let meta = try environment.database("meta")
        try environment.writeBlocking { tx in try tx.put(value, for: RecordKey(key), in: meta) }
    }
}

/// The bytes of a file (empty when it cannot be read), for byte-for-byte comparisons.
func contents(of path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map { Array($0) } ?? [] }
