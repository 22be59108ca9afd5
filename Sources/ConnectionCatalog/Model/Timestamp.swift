#if canImport(Glibc)
    internal import Glibc
#endif

/// The catalog's one clock and one time format: milliseconds since the Unix epoch, UTC, for created and
/// modified times, manifests and exports, shown as ISO 8601 with milliseconds (`2025-05-11T09:36:51.548Z`).
///
/// Written by hand, without Foundation, so that the text does not depend on locale, time zone or platform:
/// the same catalog prints the same bytes everywhere.
package enum Timestamp {
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// Now, in milliseconds since the epoch.
    package static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// Formats a time as UTC ISO 8601 with milliseconds, such as `2025-05-11T09:36:51.548Z`.
    ///
    /// Every field is zero-padded to its fixed width. Times before 1970 are handled (days are floored), though
    /// the catalog never stores them; a year outside 0…9999 is written with its sign and all its digits, which
    /// ISO 8601 would only accept by prior agreement.
    package static func iso8601(millisecondsSinceEpoch: Int64) -> String {
        var text = ""
        if withISO8601(millisecondsSinceEpoch: millisecondsSinceEpoch, { text = String(decoding: $0, as: UTF8.self) }) {
            return text
        }
        // A year outside 0…9999 is written with its sign and all its digits (at least 4).
        let (days, remainder) = floorDivide(millisecondsSinceEpoch, by: millisecondsPerDay)
        let date = civilDate(daysSinceEpoch: days)
        let digits = String(date.year.magnitude)
        let year = (date.year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.utf8.count)) + digits
        // The time of day as the fixed form writes it (for a day of 1970), from its `T` on.
        var time = ""
        _ = withISO8601(millisecondsSinceEpoch: remainder) { time = String(decoding: $0[10...], as: UTF8.self) }
        let (month, day) = (date.month, date.day)
        return year + "-" + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day) + time
    }

    /// Lends `body` the 24 bytes of `iso8601(millisecondsSinceEpoch:)`, written on the stack; `false` (and
    /// `body` not called) for a year outside 0…9999, which has no fixed width. Not generic, so that a caller in
    /// another module pays no generic call.
    package static func withISO8601(
        millisecondsSinceEpoch: Int64, _ body: (UnsafeRawBufferPointer) -> Void
    ) -> Bool {
        let (days, remainder) = floorDivide(millisecondsSinceEpoch, by: millisecondsPerDay)
        let date = civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(date.year) else { return false }
        let millisecond = remainder % 1000
        let seconds = remainder / 1000
        var storage: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { buffer in
            var position = 0
            func put(_ value: Int64, width: Int) {
                var rest = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    buffer[position + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                position += width
            }
            func put(_ byte: UInt8) {
                buffer[position] = byte
                position += 1
            }
            put(date.year, width: 4)
            put(UInt8(ascii: "-"))
            put(date.month, width: 2)
            put(UInt8(ascii: "-"))
            put(date.day, width: 2)
            put(UInt8(ascii: "T"))
            put(seconds / 3600, width: 2)
            put(UInt8(ascii: ":"))
            put(seconds / 60 % 60, width: 2)
            put(UInt8(ascii: ":"))
            put(seconds % 60, width: 2)
            put(UInt8(ascii: "."))
            put(millisecond, width: 3)
            put(UInt8(ascii: "Z"))
            body(UnsafeRawBufferPointer(rebasing: buffer[..<position]))
        }
        return true
    }

    /// Divides rounding toward negative infinity, so the remainder is never negative.
    private static func floorDivide(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// Converts days since 1970-01-01 to a proleptic Gregorian date.
    ///
    /// Howard Hinnant's `civil_from_days`: shift the epoch to 0000-03-01 so that the leap day is the last day of
    /// the year, split into 400-year eras of 146 097 days, then into years and March-based months of a fixed
    /// pattern (153 days per 5 months).
    private static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097  // 0…146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // 0…399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0…365, from March 1
        let monthFromMarch = (5 * dayOfYear + 2) / 153  // 0…11
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
