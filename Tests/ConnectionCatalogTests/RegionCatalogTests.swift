import ConnectionCatalog
import Testing

/// REGION against each provider's published list: known regions pass silently, well-formed unknown ones pass
/// with a notice naming the nearest known region, malformed ones (another provider's form, no such geography)
/// fail with `invalid_value` naming it.
@Suite struct RegionCatalogTests {
    /// A CLOUD_FUNCTION of `provider` in `region`, with the ROLE_ARN of the region's AWS partition.
    static func function(_ provider: Provider, in region: String) -> Assignments {
        switch provider {
        case .aliyun: return Fixture.aliyunFunction.setting("REGION", region)
        case .tencent: return Fixture.tencentFunction.setting("REGION", region)
        case .aws:
            let partition = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
            return Fixture.awsFunction.setting("REGION", region)
                .setting("ROLE_ARN", "arn:\(partition):iam::123456789012:role/lakehouse")
        }
    }

    /// Regions people use, written out here rather than read from the catalog, China partitions included.
    static let knownRegions: [(Provider, String)] =
        [
            "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou", "cn-chengdu",
            "cn-hongkong", "ap-southeast-1", "ap-northeast-1", "us-west-1", "us-east-1", "eu-central-1",
            "cn-shanghai-finance-1",
        ].map { (Provider.aliyun, $0) }
        + [
            "ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-nanjing", "ap-chengdu", "ap-chongqing", "ap-hongkong",
            "ap-singapore", "ap-tokyo", "na-siliconvalley", "na-ashburn", "eu-frankfurt", "ap-shanghai-fsi",
            "ap-shenzhen-fsi",
        ].map { (Provider.tencent, $0) }
        + [
            "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-southeast-1",
            "sa-east-1", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1",
        ].map { (Provider.aws, $0) }

    @Test(arguments: knownRegions)
    func knownRegionPassesWithoutNotice(provider: Provider, region: String) throws {
        let result = try PropertyValidator.validateCreate(Self.function(provider, in: region), type: .cloudFunction)
        #expect(result.properties[.region] == region)
        #expect(result.notices.isEmpty, "\(result.notices)")
    }

    @Test(arguments: Provider.allCases)
    func everyPublishedRegionIsWellFormedAndKnown(provider: Provider) throws {
        let regions = RegionCatalog.regions(of: provider)
        #expect(regions.count >= 15)
        #expect(Set(regions).count == regions.count, "no region listed twice")
        for region in regions {
            let result = try PropertyValidator.validateCreate(Self.function(provider, in: region), type: .cloudFunction)
            #expect(result.notices.isEmpty, "\(provider) \(region)")
        }
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        let provider: Provider
        let region: String
        let nearest: String
        var testDescription: String { "\(provider) \(region)" }
    }

    static let rejected = [
        Rejected(provider: .tencent, region: "cn-hangzhou", nearest: "ap-guangzhou"),
        Rejected(provider: .aliyun, region: "xx-nowhere-9", nearest: "ap-northeast-1"),
        Rejected(provider: .aws, region: "xx-nowhere-9", nearest: "us-west-1"),
        Rejected(provider: .aliyun, region: "CN-HANGZHOU", nearest: "cn-hangzhou"),
        Rejected(provider: .tencent, region: "ap-shanghai-fsi-1", nearest: "ap-shanghai-fsi"),
    ]

    @Test(arguments: rejected)
    func malformedRegionFailsNamingTheNearestKnownRegion(_ row: Rejected) throws {
        let error = try #require(throws: CatalogError.self) {
            try PropertyValidator.validateCreate(Self.function(row.provider, in: row.region), type: .cloudFunction)
        }
        #expect(error.code == .invalidValue)
        #expect(error.details["property"] == "REGION")
        #expect(error.details["suggestion"] == row.nearest, "\(error)")
        #expect(
            error.message.hasPrefix("REGION '\(row.region)' is not valid; expected "), "\(error)")
        #expect(error.message.hasSuffix("; the nearest known \(row.provider) region is \(row.nearest)"), "\(error)")
    }

    @Test(arguments: [
        (Provider.tencent, "ap-nowhere-9", "ap-chengdu"), (.aliyun, "ap-southeast-9", "ap-southeast-1"),
        (.aws, "eu-east-7", "us-east-1"), (.tencent, "ap-shangai", "ap-shanghai"),
    ])
    func wellFormedUnknownRegionPassesWithANotice(provider: Provider, region: String, nearest: String) throws {
        let result = try PropertyValidator.validateCreate(Self.function(provider, in: region), type: .cloudFunction)
        #expect(result.properties[.region] == region)
        let notice = try #require(result.notices.first)
        #expect(result.notices.count == 1)
        #expect(notice.code == .unknownRegion)
        #expect(
            notice.message
                == "region '\(region)' is not in the list of known \(provider) regions; check the spelling"
                + " (nearest known: \(nearest))")
        #expect(
            notice.details == ["property": "REGION", "value": region, "provider": "\(provider)", "suggestion": nearest])
    }

    @Test func storageRegionsAreJudgedByTheirCloud() throws {
        let oss = try PropertyValidator.validateCreate(Fixture.ossRole.setting("REGION", "cn-nowhere"), type: .oss)
        #expect(oss.notices.map(\.code) == [.unknownRegion])
        let cos = try #require(throws: CatalogError.self) {
            try PropertyValidator.validateCreate(Fixture.cosRole.setting("REGION", "cn-shanghai"), type: .cos)
        }
        #expect(cos.code == .invalidValue && cos.details["suggestion"] == "ap-shanghai")
        let s3 = try PropertyValidator.validateCreate(Fixture.s3Role.setting("REGION", "us-north-1"), type: .s3)
        #expect(s3.notices.map(\.details["suggestion"]) == ["eu-north-1"])
    }

    @Test func alterNoticesOnlyARegionItSets() throws {
        let existing = try PropertyValidator.validateCreate(
            Self.function(.tencent, in: "ap-nowhere-9"), type: .cloudFunction
        ).properties
        let otherKey = try PropertyValidator.validateAlter(
            existing: existing, set: [("CODE_BUCKET", "other-1250000000")], unset: [], type: .cloudFunction)
        #expect(otherKey.notices.isEmpty)
        let newRegion = try PropertyValidator.validateAlter(
            existing: existing, set: [("REGION", "ap-nowhere-8")], unset: [], type: .cloudFunction)
        #expect(newRegion.notices.map(\.details["value"]) == ["ap-nowhere-8"])
    }
}
