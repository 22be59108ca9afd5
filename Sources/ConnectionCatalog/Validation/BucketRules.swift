/// CODE_BUCKET naming rules per provider, matched by hand on UTF-8 bytes.
///
/// - aliyun (OSS): 3 to 63 of `[a-z0-9-]`, starting and ending with a letter or digit.
/// - tencent (COS): `<name>-<APPID>`: the name 1 to 50 of `[a-z0-9-]`, starting and ending with a letter or
///   digit; the APPID 5 to 20 digits (the split is at the last hyphen).
/// - aws (S3): 3 to 63 of `[a-z0-9.-]`; every dot-separated label starts and ends with a letter or digit (so
///   no `..`, `.-` or `-.`); not shaped like an IPv4 address; no `xn--` prefix or `-s3alias` suffix.
enum BucketRules {
    static func isValid(_ bucket: String, for provider: Provider) -> Bool {
        let bytes = Substring(bucket).utf8
        switch provider {
        case .aliyun:
            return (3...63).contains(bytes.count) && isHyphenatedLowerAlnum(bytes)
        case .tencent:
            guard let hyphen = bytes.lastIndex(of: UInt8(ascii: "-")) else { return false }
            let name = bytes[..<hyphen]
            let appID = bytes[bytes.index(after: hyphen)...]
            return (1...50).contains(name.count) && isHyphenatedLowerAlnum(name) && isAppID(appID)
        case .aws:
            guard (3...63).contains(bytes.count),
                bytes.allSatisfy({ ASCII.isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
            else { return false }
            let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard labels.allSatisfy(isHyphenatedLowerAlnum) else { return false }
            let looksLikeIPv4 = labels.count == 4 && labels.allSatisfy { $0.count <= 3 && ASCII.all($0, ASCII.isDigit) }
            return !looksLikeIPv4 && !bytes.starts(with: "xn--".utf8) && !bucket.hasSuffix("-s3alias")
        }
    }

    /// Non-empty `[a-z0-9-]`, starting and ending with a letter or digit.
    static func isHyphenatedLowerAlnum(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return ASCII.isLowerAlnum(first) && ASCII.isLowerAlnum(last)
            && bytes.allSatisfy { ASCII.isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// A Tencent Cloud APPID: 5 to 20 digits.
    static func isAppID(_ bytes: some Collection<UInt8>) -> Bool {
        (5...20).contains(bytes.count) && ASCII.all(bytes, ASCII.isDigit)
    }

    /// The expected form, for messages.
    static func expected(for provider: Provider) -> String {
        switch provider {
        case .aliyun:
            "an OSS bucket name: 3 to 63 lower-case letters, digits and hyphens, starting and ending"
                + " with a letter or digit, e.g. my-code-bucket"
        case .tencent:
            "a COS bucket name <bucketname>-<APPID>: lower-case letters, digits and hyphens, then a"
                + " hyphen and the APPID digits, e.g. code-1250000000"
        case .aws:
            "an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending"
                + " with a letter or digit, no '..', not an IP address, e.g. my.code-bucket"
        }
    }
}
