import ConnectionCatalog
import Testing

/// One row of the CREATE validation table: a property set, its type and what must happen.
struct CreateRow: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        /// Passes; the listed plain properties have these canonical values, the listed keys are secrets.
        case passes(plain: [String: String] = [:], sealed: [String] = [])
        /// Fails with `code`; when given, `details["property"]` and `details["suggestion"]` match.
        case fails(CatalogError.Code, property: String? = nil, suggestion: String? = nil)
    }

    let label: String
    let type: ConnectionType
    let assignments: Assignments
    let outcome: Outcome

    init(_ label: String, _ type: ConnectionType, _ assignments: Assignments, _ outcome: Outcome) {
        self.label = label
        self.type = type
        self.assignments = assignments
        self.outcome = outcome
    }

    var testDescription: String { "\(type) \(label)" }
}

extension CreateRow {
    static let cloudFunctionAliyun: [CreateRow] = {
        let base = Fixture.aliyunFunction
        return [
            CreateRow("valid, NAMESPACE defaults", .cloudFunction, base, .passes(plain: ["NAMESPACE": "default"])),
            CreateRow(
                "PROVIDER any case, stored lower", .cloudFunction, base.setting("PROVIDER", "AliYun"),
                .passes(plain: ["PROVIDER": "aliyun"])),
            CreateRow(
                "unknown provider", .cloudFunction, base.setting("PROVIDER", "azure"),
                .fails(.invalidValue, property: "PROVIDER")),
            CreateRow(
                "missing REGION", .cloudFunction, base.removing("REGION"),
                .fails(.missingProperty, property: "REGION")),
            CreateRow(
                "missing ROLE_ARN and CODE_BUCKET", .cloudFunction, base.removing("ROLE_ARN", "CODE_BUCKET"),
                .fails(.missingProperty, property: "ROLE_ARN, CODE_BUCKET")),
            CreateRow(
                "missing PROVIDER", .cloudFunction, base.removing("PROVIDER"),
                .fails(.missingProperty, property: "PROVIDER")),
            CreateRow(
                "region with underscore", .cloudFunction, base.setting("REGION", "cn_hangzhou"),
                .fails(.invalidValue, property: "REGION")),
            CreateRow(
                "region upper case", .cloudFunction, base.setting("REGION", "CN-HANGZHOU"),
                .fails(.invalidValue, property: "REGION")),
            CreateRow(
                "region without hyphen", .cloudFunction, base.setting("REGION", "hangzhou"),
                .fails(.invalidValue, property: "REGION")),
            CreateRow("region ap-southeast-1", .cloudFunction, base.setting("REGION", "ap-southeast-1"), .passes()),
            CreateRow("region us-west-1", .cloudFunction, base.setting("REGION", "us-west-1"), .passes()),
            CreateRow("region cn-shanghai", .cloudFunction, base.setting("REGION", "cn-shanghai"), .passes()),
            CreateRow(
                "empty REGION", .cloudFunction, base.setting("REGION", ""),
                .fails(.invalidValue, property: "REGION")),
            CreateRow(
                "tencent ARN for aliyun", .cloudFunction,
                base.setting("ROLE_ARN", "qcs::cam::uin/100012345678:roleName/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN account not digits", .cloudFunction, base.setting("ROLE_ARN", "acs:ram::12ab:role/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN empty role name", .cloudFunction, base.setting("ROLE_ARN", "acs:ram::123:role/"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN role name 64 chars", .cloudFunction,
                base.setting("ROLE_ARN", "acs:ram::123:role/" + String(repeating: "r", count: 64)), .passes()),
            CreateRow(
                "ARN role name 65 chars", .cloudFunction,
                base.setting("ROLE_ARN", "acs:ram::123:role/" + String(repeating: "r", count: 65)),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN role name with space", .cloudFunction, base.setting("ROLE_ARN", "acs:ram::123:role/a b"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "bucket too short", .cloudFunction, base.setting("CODE_BUCKET", "ab"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket starts with hyphen", .cloudFunction, base.setting("CODE_BUCKET", "-bucket"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket upper case", .cloudFunction, base.setting("CODE_BUCKET", "My-Bucket"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket with dot (OSS)", .cloudFunction, base.setting("CODE_BUCKET", "my.bucket"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket 63 chars", .cloudFunction,
                base.setting("CODE_BUCKET", String(repeating: "b", count: 63)), .passes()),
            CreateRow(
                "bucket 64 chars", .cloudFunction,
                base.setting("CODE_BUCKET", String(repeating: "b", count: 64)),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "NAMESPACE given", .cloudFunction, base.adding("namespace", "my_ns-1"),
                .passes(plain: ["NAMESPACE": "my_ns-1"])),
            CreateRow(
                "NAMESPACE with space", .cloudFunction, base.adding("NAMESPACE", "my ns"),
                .fails(.invalidValue, property: "NAMESPACE")),
            CreateRow(
                "NAMESPACE 129 chars", .cloudFunction,
                base.adding("NAMESPACE", String(repeating: "n", count: 129)),
                .fails(.invalidValue, property: "NAMESPACE")),
            CreateRow(
                "WITH PROPERTIES aliases", .cloudFunction,
                [
                    ("'cloud_function.provider'".trimmingQuotes, "ALIYUN"), ("cloud_function.region", "cn-beijing"),
                    ("CLOUD_FUNCTION.ROLE_ARN", "acs:ram::1:role/r"), ("cloud_function.namespace", "ns"),
                    ("cloud_function.code_bucket", "code-bucket"),
                ],
                .passes(plain: ["PROVIDER": "aliyun", "REGION": "cn-beijing", "NAMESPACE": "ns"])),
            CreateRow(
                "key and its alias", .cloudFunction, base.adding("cloud_function.region", "cn-beijing"),
                .fails(.duplicateProperty, property: "REGION")),
            CreateRow(
                "key twice in different case", .cloudFunction, base.adding("region", "cn-beijing"),
                .fails(.duplicateProperty, property: "REGION")),
            CreateRow(
                "NAMESPCE suggests NAMESPACE", .cloudFunction, base.adding("NAMESPCE", "x"),
                .fails(.unknownProperty, property: "NAMESPCE", suggestion: "NAMESPACE")),
            CreateRow(
                "REGOIN suggests REGION", .cloudFunction, base.removing("REGION").adding("regoin", "cn-hangzhou"),
                .fails(.unknownProperty, property: "regoin", suggestion: "REGION")),
            CreateRow(
                "alias typo suggests alias", .cloudFunction, base.adding("cloud_function.namespce", "x"),
                .fails(.unknownProperty, suggestion: "cloud_function.namespace")),
            CreateRow(
                "far-off key has no suggestion", .cloudFunction, base.adding("COLOUR", "x"),
                .fails(.unknownProperty, property: "COLOUR", suggestion: nil)),
            CreateRow(
                "storage key on a function", .cloudFunction, base.adding("ACCESS_ID", "x"),
                .fails(.unknownProperty, property: "ACCESS_ID")),
            CreateRow(
                "user-supplied EXTERNAL_ID", .cloudFunction, base.adding("EXTERNAL_ID", "abc"),
                .fails(.invalidValue, property: "EXTERNAL_ID")),
        ]
    }()

    static let cloudFunctionTencent: [CreateRow] = {
        let base = Fixture.tencentFunction
        return [
            CreateRow("valid", .cloudFunction, base, .passes(plain: ["NAMESPACE": "lakehouse"])),
            CreateRow(
                "NAMESPACE required", .cloudFunction, base.removing("NAMESPACE"),
                .fails(.missingProperty, property: "NAMESPACE")),
            CreateRow("region na-siliconvalley", .cloudFunction, base.setting("REGION", "na-siliconvalley"), .passes()),
            CreateRow("region ap-shanghai-fsi", .cloudFunction, base.setting("REGION", "ap-shanghai-fsi"), .passes()),
            CreateRow(
                "region with four parts", .cloudFunction, base.setting("REGION", "ap-shanghai-fsi-1"),
                .fails(.invalidValue, property: "REGION")),
            CreateRow(
                "region with long area", .cloudFunction, base.setting("REGION", "apac-guangzhou"),
                .fails(.invalidValue, property: "REGION")),
            CreateRow(
                "aliyun ARN for tencent", .cloudFunction, base.setting("ROLE_ARN", "acs:ram::123:role/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN uin not digits", .cloudFunction, base.setting("ROLE_ARN", "qcs::cam::uin/12x:roleName/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN lower-case rolename", .cloudFunction,
                base.setting("ROLE_ARN", "qcs::cam::uin/123:rolename/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "bucket without APPID", .cloudFunction, base.setting("CODE_BUCKET", "code"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket upper case", .cloudFunction, base.setting("CODE_BUCKET", "Code-1250000000"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket APPID too short", .cloudFunction, base.setting("CODE_BUCKET", "code-125"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket name with hyphens", .cloudFunction, base.setting("CODE_BUCKET", "my-code-1250000000"),
                .passes()),
            CreateRow(
                "bucket name 50 chars", .cloudFunction,
                base.setting("CODE_BUCKET", String(repeating: "c", count: 50) + "-1250000000"), .passes()),
            CreateRow(
                "bucket name 51 chars", .cloudFunction,
                base.setting("CODE_BUCKET", String(repeating: "c", count: 51) + "-1250000000"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "PROVIDER upper case", .cloudFunction, base.setting("PROVIDER", "TENCENT"),
                .passes(plain: ["PROVIDER": "tencent"])),
        ]
    }()

    static let cloudFunctionAWS: [CreateRow] = {
        let base = Fixture.awsFunction
        let cnARN = "arn:aws-cn:iam::123456789012:role/lakehouse"
        return [
            CreateRow(
                "valid, NAMESPACE defaults", .cloudFunction, base,
                .passes(plain: ["PROVIDER": "aws", "NAMESPACE": "default"])),
            CreateRow(
                "cn- region with aws partition", .cloudFunction, base.setting("REGION", "cn-north-1"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "cn- region with aws-cn partition", .cloudFunction,
                base.setting("REGION", "cn-north-1").setting("ROLE_ARN", cnARN), .passes()),
            CreateRow(
                "global region with aws-cn partition", .cloudFunction, base.setting("ROLE_ARN", cnARN),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "gov region with aws-us-gov partition", .cloudFunction,
                base.setting("REGION", "us-gov-west-1")
                    .setting("ROLE_ARN", "arn:aws-us-gov:iam::123456789012:role/x"), .passes()),
            CreateRow(
                "region two-digit number", .cloudFunction, base.setting("REGION", "us-east-10"),
                .fails(.invalidValue, property: "REGION")),
            CreateRow(
                "region without hyphens", .cloudFunction, base.setting("REGION", "useast1"),
                .fails(.invalidValue, property: "REGION")),
            CreateRow(
                "ARN account 11 digits", .cloudFunction,
                base.setting("ROLE_ARN", "arn:aws:iam::12345678901:role/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN account 13 digits", .cloudFunction,
                base.setting("ROLE_ARN", "arn:aws:iam::1234567890123:role/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN without path", .cloudFunction, base.setting("ROLE_ARN", "arn:aws:iam::123456789012:role/x"),
                .passes()),
            CreateRow(
                "ARN of a user", .cloudFunction, base.setting("ROLE_ARN", "arn:aws:iam::123456789012:user/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN empty path segment", .cloudFunction,
                base.setting("ROLE_ARN", "arn:aws:iam::123456789012:role/a//b"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "ARN unknown partition", .cloudFunction,
                base.setting("ROLE_ARN", "arn:azure:iam::123456789012:role/x"),
                .fails(.invalidValue, property: "ROLE_ARN")),
            CreateRow(
                "bucket IP address", .cloudFunction, base.setting("CODE_BUCKET", "192.168.1.1"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket double dot", .cloudFunction, base.setting("CODE_BUCKET", "my..bucket"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow(
                "bucket ends with hyphen", .cloudFunction, base.setting("CODE_BUCKET", "bucket-"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
            CreateRow("bucket with dots", .cloudFunction, base.setting("CODE_BUCKET", "my.bucket.v2"), .passes()),
            CreateRow(
                "bucket xn-- prefix", .cloudFunction, base.setting("CODE_BUCKET", "xn--bucket"),
                .fails(.invalidValue, property: "CODE_BUCKET")),
        ]
    }()

    static let storage: [CreateRow] = [
        CreateRow("keys", .oss, Fixture.ossKeys, .passes(sealed: ["ACCESS_KEY"])),
        CreateRow("role", .oss, Fixture.ossRole, .passes()),
        CreateRow(
            "keys in lower case", .oss, Fixture.ossKeys.map { (key: $0.key.lowercased(), value: $0.value) },
            .passes(plain: ["ACCESS_ID": "LTAI5tExampleId"], sealed: ["ACCESS_KEY"])),
        CreateRow(
            "ACCESS_ID without ACCESS_KEY", .oss, Fixture.ossKeys.removing("ACCESS_KEY"),
            .fails(.missingProperty, property: "ACCESS_KEY")),
        CreateRow(
            "ACCESS_KEY without ACCESS_ID", .oss, Fixture.ossKeys.removing("ACCESS_ID"),
            .fails(.missingProperty, property: "ACCESS_ID")),
        CreateRow(
            "keys without ENDPOINT", .oss, Fixture.ossKeys.removing("ENDPOINT"),
            .fails(.missingProperty, property: "ENDPOINT")),
        CreateRow(
            "ROLE_ARN without REGION", .oss, Fixture.ossRole.removing("REGION"),
            .fails(.missingProperty, property: "REGION")),
        CreateRow(
            "no credentials", .oss, [("ENDPOINT", "oss-cn-hangzhou.aliyuncs.com")],
            .fails(.missingProperty)),
        CreateRow(
            "https endpoint", .oss, Fixture.ossKeys.setting("ENDPOINT", "https://oss-cn-hangzhou.aliyuncs.com"),
            .passes()),
        CreateRow(
            "http endpoint", .oss, Fixture.ossKeys.setting("ENDPOINT", "http://oss-cn-hangzhou.aliyuncs.com"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint with space", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss cn"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint with path", .oss, Fixture.ossKeys.setting("ENDPOINT", "https://oss.aliyuncs.com/bucket"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow("endpoint with port", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss.example.com:8443"), .passes()),
        CreateRow(
            "endpoint with bad port", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss.example.com:70000"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint with trailing slash", .oss, Fixture.ossKeys.setting("ENDPOINT", "HTTPS://oss.example.com/"),
            .passes()),
        CreateRow("endpoint ipv4 with port", .oss, Fixture.ossKeys.setting("ENDPOINT", "10.0.0.1:443"), .passes()),
        CreateRow("endpoint one label", .oss, Fixture.ossKeys.setting("ENDPOINT", "localhost"), .passes()),
        CreateRow(
            "endpoint 63-character label", .oss,
            Fixture.ossKeys.setting("ENDPOINT", String(repeating: "a", count: 63) + ".com"), .passes()),
        CreateRow(
            "endpoint 64-character label", .oss,
            Fixture.ossKeys.setting("ENDPOINT", String(repeating: "a", count: 64) + ".com"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint trailing dot", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss.example.com."),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint empty label", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss..example.com"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint label starts with hyphen", .oss, Fixture.ossKeys.setting("ENDPOINT", "-oss.example.com"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint label ends with hyphen", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss-.example.com"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint other scheme", .oss, Fixture.ossKeys.setting("ENDPOINT", "ftp://oss.example.com"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint port zero", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss.example.com:0"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint empty port", .oss, Fixture.ossKeys.setting("ENDPOINT", "oss.example.com:"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "endpoint only a scheme", .oss, Fixture.ossKeys.setting("ENDPOINT", "https://"),
            .fails(.invalidValue, property: "ENDPOINT")),
        CreateRow(
            "aws ARN on OSS", .oss, Fixture.ossRole.setting("ROLE_ARN", "arn:aws:iam::123456789012:role/x"),
            .fails(.invalidValue, property: "ROLE_ARN")),
        CreateRow(
            "APP_ID is not an OSS key", .oss, Fixture.ossKeys.adding("APP_ID", "1250000000"),
            .fails(.unknownProperty, property: "APP_ID")),
        CreateRow(
            "empty secret", .oss, Fixture.ossKeys.setting("ACCESS_KEY", ""),
            .fails(.invalidValue, property: "ACCESS_KEY")),
        CreateRow(
            "EXTERNAL_ID on storage", .oss, Fixture.ossRole.adding("external_id", "x"),
            .fails(.invalidValue, property: "EXTERNAL_ID")),

        CreateRow("keys", .cos, Fixture.cosKeys, .passes(plain: ["ACCESS_KEY": "AKIDexample"], sealed: ["SECRET_KEY"])),
        CreateRow("role", .cos, Fixture.cosRole, .passes()),
        CreateRow(
            "missing APP_ID", .cos, Fixture.cosKeys.removing("APP_ID"),
            .fails(.missingProperty, property: "APP_ID")),
        CreateRow(
            "APP_ID not digits", .cos, Fixture.cosKeys.setting("APP_ID", "abc"),
            .fails(.invalidValue, property: "APP_ID")),
        CreateRow(
            "ACCESS_KEY without SECRET_KEY", .cos, Fixture.cosKeys.removing("SECRET_KEY"),
            .fails(.missingProperty, property: "SECRET_KEY")),
        CreateRow(
            "aliyun ARN on COS", .cos, Fixture.cosRole.setting("ROLE_ARN", "acs:ram::123:role/x"),
            .fails(.invalidValue, property: "ROLE_ARN")),
        CreateRow(
            "aliyun-style region on COS", .cos, Fixture.cosKeys.setting("REGION", "ap-southeast-1-a"),
            .fails(.invalidValue, property: "REGION")),

        CreateRow(
            "keys", .s3, Fixture.s3Keys,
            .passes(
                plain: ["ACCESS_KEY_ID": "AKIAEXAMPLE"],
                sealed: ["SECRET_ACCESS_KEY"])),
        CreateRow(
            "older names ACCESS_KEY, SECRET_KEY", .s3,
            [("REGION", "us-east-1"), ("access_key", "AKIAOLD"), ("SECRET_KEY", "old")],
            .passes(plain: ["ACCESS_KEY_ID": "AKIAOLD"], sealed: ["SECRET_ACCESS_KEY"])),
        CreateRow(
            "ACCESS_KEY and ACCESS_KEY_ID", .s3, Fixture.s3Keys.adding("ACCESS_KEY", "AKIAOTHER"),
            .fails(.duplicateProperty, property: "ACCESS_KEY_ID")),
        CreateRow(
            "SECRET_KEY and secret_access_key", .s3, Fixture.s3Keys.adding("SECRET_KEY", "other"),
            .fails(.duplicateProperty, property: "SECRET_ACCESS_KEY")),
        CreateRow("role", .s3, Fixture.s3Role, .passes()),
        CreateRow(
            "missing REGION", .s3, Fixture.s3Role.removing("REGION"),
            .fails(.missingProperty, property: "REGION")),
        CreateRow(
            "cn- region with aws partition", .s3, Fixture.s3Role.setting("REGION", "cn-north-1"),
            .fails(.invalidValue, property: "ROLE_ARN")),
        CreateRow(
            "cn- region with aws-cn partition", .s3,
            [("REGION", "cn-northwest-1"), ("ROLE_ARN", "arn:aws-cn:iam::123456789012:role/x")], .passes()),
        CreateRow(
            "key id with space", .s3, Fixture.s3Keys.setting("ACCESS_KEY_ID", "AKIA EXAMPLE"),
            .fails(.invalidValue, property: "ACCESS_KEY_ID")),
        CreateRow(
            "ACCESS_ID is not an S3 key", .s3, Fixture.s3Keys.adding("ACCESS_ID", "x"),
            .fails(.unknownProperty, property: "ACCESS_ID", suggestion: "ACCESS_KEY")),
        CreateRow(
            "ACCESS_KEY_ID alone", .s3, Fixture.s3Keys.removing("SECRET_ACCESS_KEY"),
            .fails(.missingProperty, property: "SECRET_ACCESS_KEY")),
    ]

    static let all = cloudFunctionAliyun + cloudFunctionTencent + cloudFunctionAWS + storage
}

extension String {
    /// The text without surrounding single quotes, as the SQL layer hands over a quoted property key.
    var trimmingQuotes: String {
        guard hasPrefix("'"), hasSuffix("'"), count >= 2 else { return self }
        return String(dropFirst().dropLast())
    }
}

@Suite struct CreateValidationTests {
    @Test(arguments: CreateRow.all)
    func validatesCreate(row: CreateRow) throws {
        switch row.outcome {
        case .passes(let plain, let sealed):
            let result = try PropertyValidator.validateCreate(row.assignments, type: row.type)
            for (key, value) in plain {
                #expect(result.properties[PropertyKey(rawValue: key)] == value, "\(key)")
            }
            for key in sealed {
                #expect(result.secrets[PropertyKey(rawValue: key)] != nil, "\(key) is sealed")
                #expect(result.properties[PropertyKey(rawValue: key)] == nil, "\(key) is not plain")
            }
        case .fails(let code, let property, let suggestion):
            let error = try #require(throws: CatalogError.self) {
                try PropertyValidator.validateCreate(row.assignments, type: row.type)
            }
            #expect(error.code == code, "\(error)")
            if let property { #expect(error.details["property"] == property, "\(error)") }
            if code == .unknownProperty { #expect(error.details["suggestion"] == suggestion, "\(error)") }
        }
    }

    @Test func tableHasEnoughRows() {
        #expect(CreateRow.all.count >= 60)
    }

    @Test func unknownPropertyMessageNamesTheSuggestion() throws {
        let error = try #require(throws: CatalogError.self) {
            try PropertyValidator.validateCreate(Fixture.tencentFunction.adding("NAMESPCE", "x"), type: .cloudFunction)
        }
        #expect(error.message.contains("did you mean NAMESPACE?"))
    }

    @Test func missingPropertyMessageSaysWhatIsRequired() throws {
        let error = try #require(throws: CatalogError.self) {
            try PropertyValidator.validateCreate([("ENDPOINT", "oss.aliyuncs.com")], type: .oss)
        }
        #expect(error.message.contains("ACCESS_ID + ACCESS_KEY"))
        #expect(error.message.contains("ROLE_ARN"))
    }

    @Test func invalidValueMessageShowsExpectedForm() throws {
        let error = try #require(throws: CatalogError.self) {
            try PropertyValidator.validateCreate(
                Fixture.tencentFunction.setting("CODE_BUCKET", "code"),
                type: .cloudFunction)
        }
        #expect(error.message.contains("<bucketname>-<APPID>"))
        #expect(error.details["expected"] != nil)
    }
}
