/// The regions each provider publishes, and how a REGION value stands against them.
///
/// A REGION is judged in three steps:
/// 1. **Form** (`RegionRules`): the provider's pattern, and a first label that is one of the provider's
///    geographies (`geographies`). Tencent names even its mainland regions `ap-…`, so `cn-hangzhou` is not a
///    Tencent region, and no cloud has an `xx-` geography. A value that fails is an `invalid_value` error that
///    names the nearest known region.
/// 2. **Membership**: a well-formed value in the provider's list passes silently.
/// 3. A well-formed value *not* in the list passes with a notice (`ValidationNotice.unknownRegion`) naming the
///    nearest known region: clouds open regions more often than this program is released, so a new one must
///    not be refused, but a misspelling (`ap-shangai`) should be seen when the statement runs.
///
/// The lists are the providers' published region ids, including the mainland China ones (AWS's `aws-cn`
/// partition) and Tencent's finance (`-fsi`) zones. Each list names its source page and the date of the
/// publication it reflects, and the date it was last checked against them; it is compiled by hand from those
/// pages, not fetched by a tool, so check it against them when refreshing. Regions a provider has closed stay listed, so a connection made while
/// they were open still validates without a notice.
package enum RegionCatalog {
    /// Alibaba Cloud region ids.
    ///
    /// Source: "Regions and zones",
    /// https://www.alibabacloud.com/help/en/cloud-migration-guide-for-beginners/latest/regions-and-zones, and
    /// the Function Compute endpoints,
    /// https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/developer-reference/api-fc-2023-03-30-endpoint
    /// (as of 2025-06; checked 2026-12 against the Function Compute 3.0 endpoint table and the Tag and Auto
    /// Scaling endpoint tables, which added `ap-southeast-8` and `cn-zhengzhou-jva`). Includes the finance and
    /// government clouds.
    package static let aliyun: [String] = [
        "cn-hangzhou", "cn-shanghai", "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote",
        "cn-wulanchabu", "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-nanjing", "cn-fuzhou",
        "cn-wuhan-lr", "cn-zhengzhou-jva", "cn-hongkong",
        "cn-hangzhou-finance", "cn-shanghai-finance-1", "cn-shenzhen-finance-1", "cn-beijing-finance-1",
        "cn-north-2-gov-1",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
        "ap-southeast-8", "ap-northeast-1", "ap-northeast-2", "ap-south-1",
        "us-east-1", "us-west-1", "na-south-1",
        "eu-central-1", "eu-west-1",
        "me-east-1", "me-central-1",
    ]

    /// Tencent Cloud region ids.
    ///
    /// Source: "Regions and Availability Zones", https://www.tencentcloud.com/document/product/213/6091 and
    /// the SCF region list, https://www.tencentcloud.com/document/product/583/17299 (as of 2025-06; checked
    /// 2026-12 against the region tables of Tencent Cloud's API "Request Structure" pages).
    package static let tencent: [String] = [
        "ap-guangzhou", "ap-shanghai", "ap-nanjing", "ap-beijing", "ap-chengdu", "ap-chongqing",
        "ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-beijing-fsi",
        "ap-hongkong", "ap-taipei", "ap-singapore", "ap-jakarta", "ap-bangkok", "ap-seoul", "ap-tokyo",
        "ap-mumbai",
        "na-siliconvalley", "na-ashburn", "na-toronto",
        "sa-saopaulo",
        "eu-frankfurt", "eu-moscow",
    ]

    /// AWS region ids in the `aws`, `aws-cn` and `aws-us-gov` partitions.
    ///
    /// Source: "AWS Regions", https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
    /// and the China regions, https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-Beijing.html
    /// (as of 2025-09; checked 2026-12 against "AWS Region billing codes",
    /// https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html).
    package static let aws: [String] = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2",
        "ap-northeast-3",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
        "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
        "us-gov-east-1", "us-gov-west-1",
        "cn-north-1", "cn-northwest-1",
    ]

    /// The first labels (geographies) a provider's region ids start with: a region outside them is malformed,
    /// not new.
    package static func geographies(for provider: Provider) -> Set<String> {
        switch provider {
        case .aliyun: aliyunGeographies
        case .tencent: tencentGeographies
        case .aws: awsGeographies
        }
    }

    private static let aliyunGeographies: Set<String> = ["cn", "ap", "us", "eu", "me", "na", "sa"]
    private static let tencentGeographies: Set<String> = ["ap", "na", "sa", "eu", "me"]
    private static let awsGeographies: Set<String> = ["us", "ca", "mx", "sa", "eu", "il", "me", "af", "ap", "cn"]

    /// Whether `label` (UTF-8) is one of `geographies(for:)`, tested on the bytes: every create with a REGION asks.
    package static func isGeography(_ label: Slice<UnsafeBufferPointer<UInt8>>, of provider: Provider) -> Bool {
        guard label.count == 2 else { return false }
        let code = UInt16(label[label.startIndex]) << 8 | UInt16(label[label.startIndex + 1])
        return geographyCodes(for: provider).contains(code)
    }

    /// `geographies(for:)` as two-byte codes.
    private static func geographyCodes(for provider: Provider) -> [UInt16] {
        switch provider {
        case .aliyun: aliyunCodes
        case .tencent: tencentCodes
        case .aws: awsCodes
        }
    }

    private static func codes(_ geographies: Set<String>) -> [UInt16] {
        geographies.map { name in name.utf8.reduce(0 as UInt16) { $0 << 8 | UInt16($1) } }
    }
    private static let aliyunCodes = codes(aliyunGeographies)
    private static let tencentCodes = codes(tencentGeographies)
    private static let awsCodes = codes(awsGeographies)

    /// The published regions of `provider`, in the order above.
    package static func regions(of provider: Provider) -> [String] {
        switch provider {
        case .aliyun: aliyun
        case .tencent: tencent
        case .aws: aws
        }
    }

    /// Whether `region` is one of `provider`'s published regions.
    package static func isKnown(_ region: String, for provider: Provider) -> Bool {
        regions(of: provider).contains(region)
    }

    /// The published region of `provider` nearest to `region` by edit distance (ties to the earlier in the
    /// list), however far: a message can always name one.
    package static func nearest(to region: String, for provider: Provider) -> String {
        var best = (region: regions(of: provider)[0], distance: Int.max)
        for candidate in regions(of: provider) {
            let distance = EditDistance.distance(region, candidate)
            if distance < best.distance { best = (candidate, distance) }
        }
        return best.region
    }
}
