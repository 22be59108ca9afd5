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

    /// The pattern of `provider` over the labels of `bytes` (split at each `-`, empty labels kept), walked in
    /// place: no array of labels, no string.
    private static func isValid(bytes: Slice<UnsafeBufferPointer<UInt8>>, for provider: Provider) -> Bool {
        var labels = Labels(bytes)
        guard let geography = labels.next(), RegionCatalog.isGeography(geography, of: provider),
            ASCII.all(geography, ASCII.isLower)
        else { return false }
        switch provider {
        case .aliyun:
            var count = 1
            while let label = labels.next() {
                guard ASCII.all(label, ASCII.isLowerAlnum) else { return false }
                count += 1
            }
            return count >= 2
        case .tencent:
            guard let second = labels.next(), ASCII.all(second, ASCII.isLower) else { return false }
            guard let third = labels.next() else { return true }
            return ASCII.all(third, ASCII.isLowerAlnum) && labels.next() == nil
        case .aws:
            // `us-east-1`, or with four labels `us-gov-west-1`.
            let total = Labels(bytes).count
            guard total == 3 || total == 4, var label = labels.next() else { return false }
            if total == 4 {
                guard label.elementsEqual("gov".utf8) else { return false }
                label = labels.next()!
            }
            guard ASCII.all(label, ASCII.isLower), let last = labels.next() else { return false }
            return last.count == 1 && ASCII.isDigit(last[last.startIndex])
        }
    }

    /// The labels of a region, split at each `-` (an empty label stands for two `-` in a row, or one at either
    /// end), as `split(separator:omittingEmptySubsequences: false)` would give them.
    private struct Labels {
        private var remaining: Slice<UnsafeBufferPointer<UInt8>>
        private var done = false

        init(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) { remaining = bytes }

        mutating func next() -> Slice<UnsafeBufferPointer<UInt8>>? {
            guard !done else { return nil }
            guard let dash = remaining.firstIndex(of: UInt8(ascii: "-")) else {
                done = true
                return remaining
            }
            let label = remaining[remaining.startIndex..<dash]
            remaining = remaining[(dash + 1)...]
            return label
        }

        /// How many labels are left.
        var count: Int {
            var copy = self
            var count = 0
            while copy.next() != nil { count += 1 }
            return count
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
