/// ROLE_ARN forms per provider, matched by hand on UTF-8 bytes.
///
/// | provider | form |
/// |---|---|
/// | aliyun  | `acs:ram::<account digits>:role/<name>` |
/// | tencent | `qcs::cam::uin/<account digits>:roleName/<name>` |
/// | aws     | `arn:<partition>:iam::<12 digits>:role/<path/><name>` |
///
/// Account digits are 1 to 32 digits (AWS: exactly 12). A role name is 1 to 64 of `[A-Za-z0-9+=,.@_-]`;
/// an AWS path is zero or more segments of the same characters, each followed by `/`. The AWS partition
/// follows the region: `aws-cn` exactly when the region starts with `cn-`, `aws-us-gov` for `us-gov-`
/// regions, `aws` otherwise.
enum RoleARNRules {
    static let maximumLength = 2048

    enum Outcome: Equatable {
        case valid
        /// Malformed for the provider.
        case malformed
        /// Well formed, but the AWS partition does not match the region; carries the expected partition.
        case wrongPartition(expected: String, found: String)
    }

    static func isRoleNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "@"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            ASCII.isAlnum(b)
        }
    }

    static func isRoleName(_ name: some Collection<UInt8>) -> Bool {
        name.count <= 64 && ASCII.all(name, isRoleNameByte)
    }

    static func isAccount(_ digits: some Collection<UInt8>) -> Bool {
        digits.count <= 32 && ASCII.all(digits, ASCII.isDigit)
    }

    /// Checks `arn` for `provider`; `region`, when known, fixes the AWS partition.
    static func check(_ arn: String, for provider: Provider, region: String?) -> Outcome {
        // Checked over the contiguous UTF-8 bytes: every create and ALTER with a role runs this.
        var arn = arn
        return arn.withUTF8 { check(bytes: $0[...], for: provider, region: region) }
    }

    private static func check(
        bytes text: Slice<UnsafeBufferPointer<UInt8>>, for provider: Provider, region: String?
    )
        -> Outcome
    {
        guard text.count <= maximumLength else { return .malformed }
        switch provider {
        case .aliyun:
            guard let rest = text.dropPrefix("acs:ram::"), let colon = rest.firstIndex(of: UInt8(ascii: ":"))
            else { return .malformed }
            guard isAccount(rest[..<colon]), let name = rest[rest.index(after: colon)...].dropPrefix("role/")
            else { return .malformed }
            return isRoleName(name) ? .valid : .malformed
        case .tencent:
            guard let rest = text.dropPrefix("qcs::cam::uin/"), let colon = rest.firstIndex(of: UInt8(ascii: ":"))
            else { return .malformed }
            guard isAccount(rest[..<colon]), let name = rest[rest.index(after: colon)...].dropPrefix("roleName/")
            else { return .malformed }
            return isRoleName(name) ? .valid : .malformed
        case .aws:
            let fields = text.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6, fields[0].elementsEqual("arn".utf8), fields[2].elementsEqual("iam".utf8),
                fields[3].isEmpty, fields[4].count == 12, ASCII.all(fields[4], ASCII.isDigit)
            else { return .malformed }
            let partition = String(decoding: fields[1], as: UTF8.self)
            guard ["aws", "aws-cn", "aws-us-gov"].contains(partition) else { return .malformed }
            guard let resource = fields[5].dropPrefix("role/") else { return .malformed }
            let segments = resource.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            guard let name = segments.last, isRoleName(name),
                segments.dropLast().allSatisfy({ $0.count <= 512 && ASCII.all($0, isRoleNameByte) })
            else { return .malformed }
            if let region {
                let expected = Self.partition(for: region)
                if expected != partition { return .wrongPartition(expected: expected, found: partition) }
            }
            return .valid
        }
    }

    /// The AWS partition of `region`.
    static func partition(for region: String) -> String {
        if region.utf8.starts(with: "cn-".utf8) { return "aws-cn" }
        if region.utf8.starts(with: "us-gov-".utf8) { return "aws-us-gov" }
        return "aws"
    }

    /// The expected form, for messages.
    static func expected(for provider: Provider) -> String {
        switch provider {
        case .aliyun: "acs:ram::<account id digits>:role/<role name>"
        case .tencent: "qcs::cam::uin/<account id digits>:roleName/<role name>"
        case .aws: "arn:aws:iam::<12-digit account id>:role/<optional path/><role name> (arn:aws-cn:… for cn- regions)"
        }
    }
}

extension Collection where Element == UInt8 {
    /// The rest of `self` after `prefix`, or `nil` if `self` does not start with it.
    func dropPrefix(_ prefix: String) -> SubSequence? {
        starts(with: prefix.utf8) ? dropFirst(prefix.utf8.count) : nil
    }
}
