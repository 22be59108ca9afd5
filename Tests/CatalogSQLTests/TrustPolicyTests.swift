import CatalogSQL
import ConnectionCatalog
import Foundation
import Testing

/// DESC … EXTENDED's `trust_policy`: for every provider, category and AWS partition, a valid, pretty-printed
/// document in that provider's vocabulary, with the external ID in its condition and the platform principal (or
/// a placeholder and a notice) where the console expects it.
@Suite struct TrustPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let create: String
        let provider: String
        /// The principal the document names once the setting holds `setting`.
        let setting: String
        let principal: String
        /// The Lambda service principal expected in an AWS CLOUD_FUNCTION policy.
        let lambda: String?
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "aliyun API",
            create: """
                CREATE API CONNECTION c TYPE = CLOUD_FUNCTION PROVIDER = 'aliyun' REGION = 'cn-hangzhou'
                    ROLE_ARN = 'acs:ram::1234567890:role/lake' CODE_BUCKET = 'lake-code'
                """,
            provider: "aliyun", setting: "acs:ram::1111222233334444:root", principal: "acs:ram::1111222233334444:root",
            lambda: nil),
        Case(
            label: "aliyun OSS",
            create: """
                CREATE STORAGE CONNECTION c TYPE = OSS REGION = 'cn-shanghai' ROLE_ARN = 'acs:ram::1234567890:role/lake'
                """,
            provider: "aliyun", setting: "1111222233334444", principal: "acs:ram::1111222233334444:root", lambda: nil),
        Case(
            label: "tencent API",
            create: """
                CREATE API CONNECTION c TYPE = CLOUD_FUNCTION PROVIDER = 'tencent' REGION = 'ap-guangzhou'
                    ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/lake' NAMESPACE = 'ns'
                    CODE_BUCKET = 'lake-1250000000'
                """,
            provider: "tencent", setting: "qcs::cam::uin/100000000009:root",
            principal: "qcs::cam::uin/100000000009:root", lambda: nil),
        Case(
            label: "tencent COS",
            create: """
                CREATE STORAGE CONNECTION c TYPE = COS REGION = 'ap-shanghai' APP_ID = '1250000000'
                    ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/lake'
                """,
            provider: "tencent", setting: "100000000009", principal: "qcs::cam::uin/100000000009:root", lambda: nil),
        Case(
            label: "aws API aws",
            create: """
                CREATE API CONNECTION c TYPE = CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1'
                    ROLE_ARN = 'arn:aws:iam::123456789012:role/lake' CODE_BUCKET = 'lake-code'
                """,
            provider: "aws", setting: "arn:aws:iam::111122223333:root", principal: "arn:aws:iam::111122223333:root",
            lambda: "lambda.amazonaws.com"),
        Case(
            label: "aws API aws-cn",
            create: """
                CREATE API CONNECTION c TYPE = CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'cn-north-1'
                    ROLE_ARN = 'arn:aws-cn:iam::123456789012:role/lake' CODE_BUCKET = 'lake-code'
                """,
            provider: "aws", setting: "111122223333", principal: "arn:aws-cn:iam::111122223333:root",
            lambda: "lambda.amazonaws.com"),
        Case(
            label: "aws S3 aws",
            create: """
                CREATE STORAGE CONNECTION c TYPE = S3 REGION = 'eu-west-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lake'
                """,
            provider: "aws", setting: "111122223333", principal: "arn:aws:iam::111122223333:root", lambda: nil),
        Case(
            label: "aws S3 aws-cn",
            create: """
                CREATE STORAGE CONNECTION c TYPE = S3 REGION = 'cn-northwest-1'
                    ROLE_ARN = 'arn:aws-cn:iam::123456789012:role/lake'
                """,
            provider: "aws", setting: "arn:aws-cn:iam::111122223333:root",
            principal: "arn:aws-cn:iam::111122223333:root", lambda: nil),
    ]

    /// The parts of a parsed policy the tests look at, in either vocabulary.
    struct Parsed {
        var version: String?
        var statements: [[String: Any]]
        var principals: [String]
        var externalID: String?
        var services: [String]
    }

    static func parse(_ policy: String, provider: String) throws -> Parsed {
        let object = try JSONSerialization.jsonObject(with: Data(policy.utf8))
        let document = try #require(object as? [String: Any])
        let tencent = provider == "tencent"
        let statements = try #require(document[tencent ? "statement" : "Statement"] as? [[String: Any]])
        var parsed = Parsed(
            version: document[tencent ? "version" : "Version"] as? String, statements: statements, principals: [],
            services: [])
        for statement in statements {
            let principal = statement[tencent ? "principal" : "Principal"] as? [String: Any] ?? [:]
            switch provider {
            case "aliyun": parsed.principals += principal["RAM"] as? [String] ?? []
            case "tencent": parsed.principals += principal["qcs"] as? [String] ?? []
            default:
                if let aws = principal["AWS"] as? String { parsed.principals.append(aws) }
                if let service = principal["Service"] as? String { parsed.services.append(service) }
            }
            let condition = statement[tencent ? "condition" : "Condition"] as? [String: Any]
            let equals = condition?[tencent ? "string_equal" : "StringEquals"] as? [String: Any]
            if let id = equals?[tencent ? "sts:external_id" : "sts:ExternalId"] as? String { parsed.externalID = id }
        }
        return parsed
    }

    private func describeExtended(_ fixture: SessionFixture, _ create: String) throws -> ResultSet {
        let outcomes = fixture.session().executeBlocking("\(create); DESC CONNECTION EXTENDED c")
        #expect(!outcomes.contains { $0.isFailure }, "\(outcomes.compactMap(\.error))")
        return try #require(outcomes.last?.resultSet)
    }

    @Test(arguments: cases)
    func unsetPrincipalGivesValidJSONWithAPlaceholderAndANotice(_ test: Case) throws {
        let fixture = try SessionFixture()
        let result = try describeExtended(fixture, test.create)
        let externalID = try #require(result.info["EXTERNAL_ID"])
        let policy = try #require(result.info["trust_policy"])
        #expect(result.rows.filter { $0[0] == "trust_policy" }.count == 1, "one row, whatever the provider")
        let parsed = try Self.parse(policy, provider: test.provider)
        #expect(parsed.externalID == externalID)
        #expect(parsed.principals == ["<set trust.\(test.provider).principal>"])
        #expect(
            result.notices == [
                "catalog setting trust.\(test.provider).principal is not set, so the trust policy names a placeholder;"
                    + " set it with `catalog settings set trust.\(test.provider).principal <principal>`"
            ])
    }

    @Test(arguments: cases)
    func configuredPrincipalIsTrustedWithTheExternalID(_ test: Case) throws {
        let fixture = try SessionFixture()
        try fixture.catalog.setSetting("trust.\(test.provider).principal", to: test.setting)
        let result = try describeExtended(fixture, test.create)
        let externalID = try #require(result.info["EXTERNAL_ID"])
        let policy = try #require(result.info["trust_policy"])
        let parsed = try Self.parse(policy, provider: test.provider)
        #expect(result.notices.isEmpty)
        #expect(parsed.principals == [test.principal])
        #expect(parsed.externalID == externalID)
        #expect(parsed.services == (test.lambda.map { [$0] } ?? []))
        switch test.provider {
        case "aliyun":
            #expect(parsed.version == "1")
            #expect(parsed.statements.first?["Action"] as? String == "sts:AssumeRole")
            #expect(parsed.statements.first?["Effect"] as? String == "Allow")
        case "tencent":
            #expect(parsed.version == "2.0")
            #expect(parsed.statements.first?["action"] as? String == "name/sts:AssumeRole")
            #expect(parsed.statements.first?["effect"] as? String == "allow")
        default:
            #expect(parsed.version == "2012-10-17")
            #expect(parsed.statements.allSatisfy { $0["Action"] as? String == "sts:AssumeRole" })
            #expect(parsed.statements.count == (test.lambda == nil ? 1 : 2))
        }
    }

    @Test(arguments: cases)
    func policyIsPrettyPrintedWithTwoSpaceIndentation(_ test: Case) throws {
        let fixture = try SessionFixture()
        let policy = try #require(try describeExtended(fixture, test.create).info["trust_policy"])
        let lines = policy.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 10)
        #expect(lines.first == "{" && lines.last == "}")
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.hasPrefix("  ") && !$0.hasSuffix(" ") })
        #expect(lines.allSatisfy { ($0.prefix { $0 == " " }.count).isMultiple(of: 2) })
    }

    @Test(arguments: cases)
    func tableShowsThePolicyOnSeveralLinesThatGiveBackTheDocument(_ test: Case) throws {
        let fixture = try SessionFixture()
        let result = try describeExtended(fixture, test.create)
        let policy = try #require(result.info["trust_policy"])
        let output = OutputFormat.table.render(.resultSet(result)).output
        let lines = output.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix(" trust_policy ") })
        let policyLines = Array(lines[start...].prefix { !$0.hasPrefix("(") })
        #expect(policyLines.count == policy.split(separator: "\n").count)
        // Every line but the last ends in the continuation mark; below the first, the name column is blank.
        #expect(policyLines.dropLast().allSatisfy { $0.hasSuffix(" +") })
        #expect(policyLines.dropFirst().allSatisfy { $0.hasPrefix("              ") })
        let rebuilt = policyLines.map { line in
            var value = String(line[line.range(of: "| ")!.upperBound...])
            if value.hasSuffix("+") { value.removeLast() }
            while value.hasSuffix(" ") { value.removeLast() }
            return value
        }
        #expect(rebuilt.joined(separator: "\n") == policy)
    }

    @Test func jsonAndCSVKeepThePolicyAsOneValue() throws {
        let fixture = try SessionFixture()
        let result = try describeExtended(fixture, Self.cases[0].create)
        let policy = try #require(result.info["trust_policy"])
        let json = OutputFormat.json.render(.resultSet(result)).output
        #expect(json.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[Any]])
        #expect(rows.contains { $0.first as? String == "trust_policy" && $0.last as? String == policy })
        let csv = OutputFormat.csv.render(.resultSet(result)).output
        let quoted = "\"" + policy.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        #expect(csv.contains("trust_policy," + quoted + "\r\n"))
    }

    @Test func plainDescribeAndKeyCredentialsHaveNoPolicy() throws {
        let fixture = try SessionFixture()
        let session = fixture.session()
        let outcomes = session.executeBlocking(
            """
            \(Self.cases[4].create);
            CREATE STORAGE CONNECTION keys TYPE = S3 REGION = 'us-east-1' ACCESS_KEY_ID = 'AKIAEXAMPLE'
                SECRET_ACCESS_KEY = 'secret-0001';
            DESC CONNECTION c;
            DESC CONNECTION EXTENDED keys
            """)
        #expect(!outcomes.contains { $0.isFailure }, "\(outcomes.compactMap(\.error))")
        let plain = try #require(outcomes[2].resultSet)
        #expect(plain.info["trust_policy"] == nil && plain.notices.isEmpty)
        let keys = try #require(outcomes[3].resultSet)
        #expect(keys.info["trust_policy"] == nil && keys.notices.isEmpty)
    }

    @Test func principalOfAnotherAWSPartitionGetsANotice() throws {
        let fixture = try SessionFixture()
        try fixture.catalog.setSetting("trust.aws.principal", to: "arn:aws:iam::111122223333:root")
        let result = try describeExtended(fixture, Self.cases[5].create)
        let parsed = try Self.parse(try #require(result.info["trust_policy"]), provider: "aws")
        #expect(parsed.principals == ["arn:aws:iam::111122223333:root"])
        #expect(result.notices.count == 1)
        #expect(result.notices.first?.contains("partition 'aws' but connection 'c' is in 'aws-cn'") == true)
    }

    @Test func principalIsEscapedAsJSON() throws {
        let fixture = try SessionFixture()
        try fixture.catalog.setSetting("trust.aliyun.principal", to: #"odd "quoted" \ principal"#)
        let result = try describeExtended(fixture, Self.cases[0].create)
        let parsed = try Self.parse(try #require(result.info["trust_policy"]), provider: "aliyun")
        #expect(parsed.principals == [#"odd "quoted" \ principal"#])
    }
}
