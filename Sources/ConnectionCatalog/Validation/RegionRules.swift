/// Region name patterns per provider, matched by hand on UTF-8 bytes.
///
/// | provider | pattern | examples |
/// |---|---|---|
/// | aliyun  | `^[a-z]{2,}(-[a-z0-9]+)+$`           | `cn-hangzhou`, `cn-shanghai`, `ap-southeast-1`, `us-west-1` |
/// | tencent | `^[a-z]{2}-[a-z]+(-[a-z0-9]+)?$`     | `ap-guangzhou`, `ap-shanghai`, `na-siliconvalley`, `ap-shanghai-fsi` |
/// | aws     | `^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`     | `us-east-1`, `cn-north-1`, `us-gov-west-1` |
///
/// The first label must also be one of the provider's geographies (`RegionCatalog.geographies(for:)`: aliyun
/// `cn ap us eu me na sa`, tencent `ap na sa eu me`, aws `us ca mx sa eu il me af ap cn`), so `cn-hangzhou` is
/// not a Tencent region and `xx-nowhere-9` is nobody's.
///
/// The patterns check form, not membership: a new region of the right shape is accepted without a release.
/// Membership is `RegionCatalog`'s: a well-formed region outside the published list passes with a notice.
enum RegionRules {
    static let maximumLength = 64

    static func isValid(_ region: String, for provider: Provider) -> Bool {
        guard region.utf8.count <= maximumLength else { return false }
        // Checked over the contiguous UTF-8 bytes: every create and ALTER with a region runs this.
        var region = region
        return region.withUTF8 { isValid(bytes: $0[...], for: provider) }
    }

    private static func isValid(bytes: Slice<UnsafeBufferPointer<UInt8>>, for provider: Provider) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard let geography = parts.first,
            RegionCatalog.geographies(for: provider).contains(String(decoding: geography, as: UTF8.self))
        else { return false }
        switch provider {
        case .aliyun:
            guard parts.count >= 2, parts[0].count >= 2, ASCII.all(parts[0], ASCII.isLower) else { return false }
            return parts.dropFirst().allSatisfy { ASCII.all($0, ASCII.isLowerAlnum) }
        case .tencent:
            guard parts.count == 2 || parts.count == 3 else { return false }
            guard parts[0].count == 2, ASCII.all(parts[0], ASCII.isLower), ASCII.all(parts[1], ASCII.isLower)
            else { return false }
            return parts.count == 2 || ASCII.all(parts[2], ASCII.isLowerAlnum)
        case .aws:
            var rest = parts[...]
            guard rest.count == 3 || rest.count == 4 else { return false }
            guard rest[0].count == 2, ASCII.all(rest[0], ASCII.isLower) else { return false }
            rest = rest.dropFirst()
            if rest.count == 3 {
                guard rest.first!.elementsEqual("gov".utf8) else { return false }
                rest = rest.dropFirst()
            }
            return ASCII.all(rest.first!, ASCII.isLower) && rest.last!.count == 1 && ASCII.isDigit(rest.last!.first!)
        }
    }

    /// The expected form, for messages.
    static func expected(for provider: Provider) -> String {
        switch provider {
        case .aliyun: "an Alibaba Cloud region such as cn-hangzhou, cn-shanghai, ap-southeast-1 or us-west-1"
        case .tencent: "a Tencent Cloud region such as ap-guangzhou, ap-shanghai or na-siliconvalley"
        case .aws: "an AWS region such as us-east-1, cn-north-1 or us-gov-west-1"
        }
    }
}
