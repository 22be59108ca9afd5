/// A key checked against LMDB's limits before it reaches LMDB: 1 to 511 bytes.
///
/// Keys compare as LMDB compares them by default: byte by byte, a shorter key before its extensions.
public struct RecordKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// LMDB's compiled-in maximum key size (`mdb_env_get_maxkeysize`).
    public static let maximumLength = 511

    public let bytes: [UInt8]

    /// Checks `bytes` and wraps them.
    ///
    /// - Throws: `StorageError` `.badValueSize` if the key is empty or longer than 511 bytes.
    public init(_ bytes: [UInt8]) throws(StorageError) {
        guard !bytes.isEmpty, bytes.count <= Self.maximumLength else {
            throw StorageError(
                code: .badValueSize, operation: "RecordKey",
                message: bytes.isEmpty
                    ? "a record key cannot be empty"
                    : "a record key of \(bytes.count) bytes exceeds LMDB's \(Self.maximumLength)-byte limit; shorten it"
            )
        }
        self.bytes = bytes
    }

    /// The UTF-8 bytes of `string` as a key.
    public init(_ string: String) throws(StorageError) { try self.init(Array(string.utf8)) }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// Hex of the key, so that a key never prints as arbitrary bytes.
    public var description: String {
        bytes.map { String($0, radix: 16).count == 1 ? "0\(String($0, radix: 16))" : String($0, radix: 16) }.joined()
    }
}
