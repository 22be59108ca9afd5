import CatalogSQL
import Testing

@Suite struct ResultSetValueFormatTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (86_399_999, "1970-01-01T23:59:59.999Z"),
        (68_169_600_000, "1972-02-29T00:00:00.000Z"),
        (946_684_800_000, "2000-01-01T00:00:00.000Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (951_868_799_999, "2000-02-29T23:59:59.999Z"),
        (951_868_800_000, "2000-03-01T00:00:00.000Z"),
        (978_307_199_010, "2000-12-31T23:59:59.010Z"),
        (1_078_012_800_050, "2004-02-29T00:00:00.050Z"),
        (1_330_473_600_007, "2012-02-29T00:00:00.007Z"),
        (1_709_164_800_000, "2024-02-29T00:00:00.000Z"),
        (1_746_956_211_548, "2025-05-11T09:36:51.548Z"),
        (2_147_483_647_000, "2038-01-19T03:14:07.000Z"),
        (2_147_483_648_000, "2038-01-19T03:14:08.000Z"),
        (4_107_542_399_999, "2100-02-28T23:59:59.999Z"),
        (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (-62_198_755_200_000, "-0001-01-01T00:00:00.000Z"),
        (253_402_300_800_000, "10000-01-01T00:00:00.000Z"),
    ])
    func timestampIsUTCISO8601WithMilliseconds(milliseconds: Int64, expected: String) {
        #expect(ValueFormat.timestamp(millisecondsSinceEpoch: milliseconds) == expected)
    }

    /// Walks day by day over four centuries and checks that the dates are consecutive and well formed.
    @Test func timestampDatesAreConsecutiveOverFourCenturies() {
        let daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var (year, month, day) = (1970, 1, 1)
        for dayNumber in Int64(0)..<Int64(146_097) {
            let text = ValueFormat.timestamp(millisecondsSinceEpoch: dayNumber * 86_400_000 + 43_200_123)
            let expected =
                "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T12:00:00.123Z"
            if text != expected {
                Issue.record("day \(dayNumber): \(text) != \(expected)")
                return
            }
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let lastDay = month == 2 && isLeap ? 29 : daysInMonth[month - 1]
            day += 1
            if day > lastDay { (day, month) = (1, month + 1) }
            if month > 12 { (month, year) = (1, year + 1) }
        }
    }

    @Test(arguments: [(true, "ENABLED"), (false, "DISABLED")])
    func enabledIsUpperCaseWord(isEnabled: Bool, expected: String) {
        #expect(ValueFormat.enabled(isEnabled) == expected)
    }

    @Test(arguments: [
        ("LTAI5tABCDEFGH", "LTAI5t********"),
        ("AKIDz8krbsJ5yKBZQpn74WFkmLPx3", "AKIDz8***********************"),
        ("ABCDEFG", "ABCDEF*"),
        ("ABCDEF", "******"),
        ("abc", "***"),
        ("", ""),
        ("密钥标识符号码", "密钥标识符号*"),
    ])
    func keyIDShowsFirstSixCharactersOnly(keyID: String, expected: String) {
        #expect(ValueFormat.maskedKeyID(keyID) == expected)
    }
}
