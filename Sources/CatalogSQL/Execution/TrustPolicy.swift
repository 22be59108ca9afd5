internal import ConnectionCatalog

/// What DESC … EXTENDED adds: one `trust_policy` row holding the role trust policy to paste into the provider's
/// console, so that the platform's principal may assume the customer's role only with this connection's
/// external ID.
///
/// The document is pretty-printed JSON (2-space indentation, stable key order; `TrustPolicyDocument`), so the
/// value spans several lines. CLOUD_FUNCTION connections get their PROVIDER's policy; storage connections get
/// their cloud's (OSS → aliyun, COS → tencent, S3 → aws) when they use a ROLE_ARN, and none when they use keys.
///
/// The principal to trust is the catalog setting `trust.<provider>.principal`. A value of digits alone is an
/// account id and becomes that provider's root principal (`acs:ram::<id>:root`, `qcs::cam::uin/<id>:root`,
/// `arn:<partition>:iam::<id>:root` in the connection's AWS partition); any other value is used as it is. While
/// the setting is unset the document is still valid JSON, naming the placeholder `<set trust.<provider>.principal>`,
/// and the result carries a notice saying how to set it.
enum TrustPolicy {
    /// The `trust_policy` row and the notices that go with it.
    struct Rendered {
        var row: [String?]
        var notices: [String]
    }

    /// The trust policy of `connection`, or `nil` when it has none (a storage connection without ROLE_ARN, or a
    /// CLOUD_FUNCTION whose PROVIDER is unknown to this program).
    static func make(for connection: Connection, externalID: String, reader: some CatalogReading) throws -> Rendered? {
        // A storage connection has a trust policy only when it names a role to assume.
        guard let provider = connection.provider,
            connection.type == .cloudFunction || connection.properties[.roleARN] != nil
        else { return nil }
        let setting = CatalogSetting.trustPrincipal(for: provider)
        let partition = awsPartition(region: connection.properties[.region], roleARN: connection.properties[.roleARN])
        var notices: [String] = []
        let principal: String
        if let configured = try reader.setting(setting), !configured.isEmpty {
            principal = Self.principal(configured, for: provider, partition: partition)
            if provider == .aws, let found = arnPartition(principal), found != partition {
                notices.append(
                    "catalog setting \(setting) is in AWS partition '\(found)' but connection"
                        + " '\(connection.name)' is in '\(partition)', and IAM refuses a principal of another partition; set \(setting) to an"
                        + " account id (12 digits) to get the principal of each connection's partition")
            }
        } else {
            principal = "<set \(setting)>"
            notices.append(
                "catalog setting \(setting) is not set, so the trust policy names a placeholder;"
                    + " set it with `catalog settings set \(setting) <principal>`")
        }
        let document: JSONDocument
        switch provider {
        case .aliyun:
            document = TrustPolicyDocument.aliyun(principal: principal, externalID: externalID)
        case .tencent:
            document = TrustPolicyDocument.tencent(principal: principal, externalID: externalID)
        case .aws:
            let lambda = connection.type == .cloudFunction ? lambdaService : nil
            document = TrustPolicyDocument.aws(principal: principal, externalID: externalID, lambdaService: lambda)
        }
        return Rendered(row: ["trust_policy", document.prettyPrinted], notices: notices)
    }

    /// The principal a setting value names: digits alone are an account id, anything else is used as given.
    static func principal(_ value: String, for provider: Provider, partition: String) -> String {
        guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return value }
        switch provider {
        case .aliyun: return "acs:ram::\(value):root"
        case .tencent: return "qcs::cam::uin/\(value):root"
        case .aws: return "arn:\(partition):iam::\(value):root"
        }
    }

    /// The AWS partition of the connection: `aws-cn` for `cn-` regions, `aws-us-gov` for `us-gov-` ones,
    /// else `aws`; without a region, the partition of the role ARN.
    static func awsPartition(region: String?, roleARN: String?) -> String {
        if let region {
            if region.hasPrefix("cn-") { return "aws-cn" }
            if region.hasPrefix("us-gov-") { return "aws-us-gov" }
            return "aws"
        }
        return roleARN.flatMap(arnPartition) ?? "aws"
    }

    /// The Lambda service principal. It is `lambda.amazonaws.com` in the China partition too: IAM there names
    /// services by their global principal (only a few, such as EC2's, take `.amazonaws.com.cn`).
    static let lambdaService = "lambda.amazonaws.com"

    /// The partition field of an `arn:<partition>:…` string, or `nil` if `text` is not one.
    private static func arnPartition(_ text: String) -> String? {
        let fields = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "arn", !fields[1].isEmpty else { return nil }
        return String(fields[1])
    }
}
