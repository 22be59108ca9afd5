@testable import CatalogSQL
import Testing

@Suite struct LikePatternTests {
    @Test(arguments: [
        ("%sales%", "east_sales_01", true), ("%SALES%", "east_sales_01", true), ("sales%", "east_sales_01", false),
        ("east%", "east_sales_01", true), ("east_sales__1", "east_sales_01", true), ("east_sales_1", "east_sales_01", false),
        ("%", "", true), ("", "", true), ("_", "", false), ("a%b%c", "axxbyyc", true), ("a%b%c", "axxbyy", false),
        ("%_01", "east_sales_01", true), ("100\\%", "100%", true), ("100\\%", "1000", false), ("a\\_b", "a_b", true),
        ("a\\_b", "axb", false), ("%%%x", "abcx", true), ("é_", "éa", true), ("_a", "éa", true),
    ])
    func matchesLikeSQL(pattern: String, name: String, expected: Bool) {
        #expect(LikePattern(pattern).matches(name) == expected)
    }

    @Test(arguments: [("sales%", "sales"), ("%sales", ""), ("s_les", "s"), ("abc", "abc"), ("a\\%b%", "a%b")])
    func literalPrefixStopsAtTheFirstWildcard(pattern: String, prefix: String) {
        #expect(LikePattern(pattern).literalPrefix == prefix)
    }
}
