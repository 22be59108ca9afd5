import ConnectionCatalog
import Testing

@Suite struct NamePatternTests {
    @Test(arguments: [
        ("%sales%", "east_sales_01", true), ("%SALES%", "east_sales_01", true), ("sales%", "east_sales_01", false),
        ("east%", "east_sales_01", true), ("east_sales__1", "east_sales_01", true),
        ("east_sales_1", "east_sales_01", false),
        ("%", "", true), ("", "", true), ("_", "", false), ("a%b%c", "axxbyyc", true), ("a%b%c", "axxbyy", false),
        ("%_01", "east_sales_01", true), ("100\\%", "100%", true), ("100\\%", "1000", false), ("a\\_b", "a_b", true),
        ("a\\_b", "axb", false), ("%%%x", "abcx", true), ("é_", "éa", true), ("_a", "éa", true),
        ("%les%", "sales", true), ("%sales%", "sales", true), ("%salesx%", "sales", false),
        ("%SaLeS%", "x_SALES", true),
        ("%ss%", "sass", true), ("%aab%", "aaab", true), ("%数据%", "hr_数据_1", true), ("%\\%%", "a%b", true),
        ("%\\%%", "ab", false), ("%a_c%", "xabcx", true),
    ])
    func matchesLikeSQL(pattern: String, name: String, expected: Bool) {
        #expect(NamePattern(like: pattern).matches(name) == expected)
    }

    @Test(arguments: [("sales%", "sales"), ("%sales", ""), ("s_les", "s"), ("abc", "abc"), ("a\\%b%", "a%b")])
    func literalPrefixStopsAtTheFirstWildcard(pattern: String, prefix: String) {
        #expect(NamePattern(like: pattern).literalPrefix == prefix)
    }
}
