/// The reserved words of the connection SQL dialect.
///
/// Keywords match in any case. They are reserved where a connection name is expected (quote one with
/// backticks to use it as a name) so that `DESC CONNECTION EXTENDED x` and `DROP CONNECTION IF EXISTS x`
/// never depend on guessing. Property keys and type names are not restricted, except that an unquoted
/// COMMENT or COMMENTS ends a property list.
public enum Keyword: String, CaseIterable, Hashable, Sendable {
    case alter = "ALTER"
    case and = "AND"
    case api = "API"
    case begin = "BEGIN"
    case comment = "COMMENT"
    case comments = "COMMENTS"
    case commit = "COMMIT"
    case connection = "CONNECTION"
    case connections = "CONNECTIONS"
    case create = "CREATE"
    case desc = "DESC"
    case describe = "DESCRIBE"
    case disable = "DISABLE"
    case drop = "DROP"
    case enable = "ENABLE"
    case exists = "EXISTS"
    case extended = "EXTENDED"
    case `if` = "IF"
    case like = "LIKE"
    case not = "NOT"
    case properties = "PROPERTIES"
    case rename = "RENAME"
    case rollback = "ROLLBACK"
    case rotate = "ROTATE"
    case set = "SET"
    case show = "SHOW"
    case storage = "STORAGE"
    case to = "TO"
    case type = "TYPE"
    case unset = "UNSET"
    case `where` = "WHERE"
    case with = "WITH"

    /// Looks up a keyword by its bytes, in any case, without allocating.
    static func match(_ bytes: UnsafeBufferPointer<UInt8>) -> Keyword? {
        guard bytes.count >= 2, bytes.count <= 11 else { return nil }
        // Uppercase into a fixed-size integer key: at most 11 ASCII letters fit in two UInt64s.
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let upper = (byte >= 0x61 && byte <= 0x7A) ? byte - 0x20 : byte
            if index < 8 {
                high |= UInt64(upper) << (8 * UInt64(index))
            } else {
                low |= UInt64(upper) << (8 * UInt64(index - 8))
            }
        }
        return table[PackedWord(high: high, low: low)]
    }

    /// Looks up the keyword `word` spells, in any case.
    static func match(_ word: String) -> Keyword? {
        var word = word
        return word.withUTF8 { match($0) }
    }

    private struct PackedWord: Hashable {
        var high: UInt64
        var low: UInt64

        init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        init(_ word: String) {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (index, byte) in word.utf8.enumerated() {
                if index < 8 {
                    high |= UInt64(byte) << (8 * UInt64(index))
                } else {
                    low |= UInt64(byte) << (8 * UInt64(index - 8))
                }
            }
            self.init(high: high, low: low)
        }
    }

    private static let table: [PackedWord: Keyword] = Dictionary(
        uniqueKeysWithValues: allCases.map { (PackedWord($0.rawValue), $0) }
    )
}
