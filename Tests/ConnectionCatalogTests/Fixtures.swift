import ConnectionCatalog

typealias Assignments = [(key: String, value: String)]

/// Valid property sets, one per type and provider, that rows then break one thing at a time.
enum Fixture {
    static let aliyunFunction: Assignments = [
        ("PROVIDER", "aliyun"), ("REGION", "cn-hangzhou"), ("ROLE_ARN", "acs:ram::1234567890123456:role/lakehouse-fc"),
        ("CODE_BUCKET", "my-code-bucket"),
    ]
    static let tencentFunction: Assignments = [
        ("PROVIDER", "tencent"), ("REGION", "ap-guangzhou"),
        ("ROLE_ARN", "qcs::cam::uin/100012345678:roleName/lakehouse_scf"), ("NAMESPACE", "lakehouse"),
        ("CODE_BUCKET", "code-1250000000"),
    ]
    static let awsFunction: Assignments = [
        ("PROVIDER", "aws"), ("REGION", "us-east-1"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/service/lakehouse"),
        ("CODE_BUCKET", "my.code-bucket"),
    ]
    static let ossKeys: Assignments = [
        ("ENDPOINT", "oss-cn-hangzhou-internal.aliyuncs.com"), ("ACCESS_ID", "LTAI5tExampleId"),
        ("ACCESS_KEY", "ossSecretExample"),
    ]
    static let ossRole: Assignments = [
        ("REGION", "cn-hangzhou"), ("ROLE_ARN", "acs:ram::1234567890123456:role/oss-reader"),
    ]
    static let cosKeys: Assignments = [
        ("REGION", "ap-shanghai"), ("APP_ID", "1310000503"), ("ACCESS_KEY", "AKIDexample"), ("SECRET_KEY", "cosSecret"),
    ]
    static let cosRole: Assignments = [
        ("REGION", "ap-shanghai"), ("APP_ID", "1310000503"),
        ("ROLE_ARN", "qcs::cam::uin/100012345678:roleName/cos-reader"),
    ]
    static let s3Keys: Assignments = [
        ("ENDPOINT", "s3.us-east-1.amazonaws.com"), ("REGION", "us-east-1"), ("ACCESS_KEY_ID", "AKIAEXAMPLE"),
        ("SECRET_ACCESS_KEY", "s3SecretExample"),
    ]
    static let s3Role: Assignments = [
        ("REGION", "us-west-2"), ("ROLE_ARN", "arn:aws:iam::123456789012:role/s3-reader"),
    ]
}

extension Array where Element == (key: String, value: String) {
    /// A copy with every key equal to `key` (any case) given `value` instead.
    func setting(_ key: String, _ value: String) -> Self {
        map { $0.key.uppercased() == key.uppercased() ? (key: $0.key, value: value) : $0 }
    }

    /// A copy without `keys`.
    func removing(_ keys: String...) -> Self {
        filter { pair in !keys.contains { $0.uppercased() == pair.key.uppercased() } }
    }

    /// A copy with `key = value` appended.
    func adding(_ key: String, _ value: String) -> Self {
        self + [(key: key, value: value)]
    }
}
