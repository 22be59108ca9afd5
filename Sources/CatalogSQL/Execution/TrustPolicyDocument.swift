internal import ConnectionCatalog

/// The role trust policy each provider's console takes, in that provider's own vocabulary and key order.
///
/// Each document lets `principal` (the platform's account) assume the customer's role only when it presents
/// `externalID`; the AWS document for a CLOUD_FUNCTION connection also lets the Lambda service assume it, as
/// the Lambda setup asks. Built only for DESC … EXTENDED, never on the plain DESC path.
enum TrustPolicyDocument {
    /// A RAM role trust policy (Alibaba Cloud).
    static func aliyun(principal: String, externalID: String) -> JSONDocument {
        .object([
            ("Version", .string("1")),
            (
                "Statement",
                .array([
                    .object([
                        ("Action", .string("sts:AssumeRole")),
                        ("Effect", .string("Allow")),
                        ("Principal", .object([("RAM", .array([.string(principal)]))])),
                        ("Condition", condition("StringEquals", "sts:ExternalId", externalID)),
                    ])
                ])
            ),
        ])
    }

    /// A CAM role trust policy (Tencent Cloud): lower-case keys, `name/sts:AssumeRole`, `string_equal`.
    static func tencent(principal: String, externalID: String) -> JSONDocument {
        .object([
            ("version", .string("2.0")),
            (
                "statement",
                .array([
                    .object([
                        ("action", .string("name/sts:AssumeRole")),
                        ("effect", .string("allow")),
                        ("principal", .object([("qcs", .array([.string(principal)]))])),
                        ("condition", condition("string_equal", "sts:external_id", externalID)),
                    ])
                ])
            ),
        ])
    }

    /// An IAM role trust policy (AWS), with a statement for the Lambda service principal when
    /// `lambdaService` names one (`lambda.amazonaws.com`, in every partition).
    static func aws(principal: String, externalID: String, lambdaService: String?) -> JSONDocument {
        var statements: [JSONDocument] = [
            .object([
                ("Effect", .string("Allow")),
                ("Principal", .object([("AWS", .string(principal))])),
                ("Action", .string("sts:AssumeRole")),
                ("Condition", condition("StringEquals", "sts:ExternalId", externalID)),
            ])
        ]
        if let lambdaService {
            statements.append(
                .object([
                    ("Effect", .string("Allow")),
                    ("Principal", .object([("Service", .string(lambdaService))])),
                    ("Action", .string("sts:AssumeRole")),
                ]))
        }
        return .object([("Version", .string("2012-10-17")), ("Statement", .array(statements))])
    }

    private static func condition(_ operator: String, _ key: String, _ value: String) -> JSONDocument {
        .object([(`operator`, .object([(key, .string(value))]))])
    }
}
