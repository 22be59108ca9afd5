/// The canonical, upper-case name of a connection property, such as `ROLE_ARN`.
///
/// A struct rather than an enum so that a record written by a newer program, with a key this program does
/// not know, still decodes and is written back unchanged. Users' spellings (any case, aliases such as
/// `'cloud_function.region'`) become canonical keys through `PropertySchema.canonicalKey(_:)`.
public struct PropertyKey: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The canonical upper-case name.
    public let rawValue: String

    /// Wraps an already canonical name; does not validate or change case.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Hashes the key's length and its first and last bytes as one word rather than the whole string: keys are
    /// short upper-case ASCII, and every create, decode and DESC looks up a handful. Equal keys have equal bytes,
    /// so equal hashes.
    public func hash(into hasher: inout Hasher) {
        let utf8 = rawValue.utf8
        hasher.combine(
            utf8.withContiguousStorageIfAvailable(Self.word) ?? Array(utf8).withUnsafeBufferPointer(Self.word))
    }

    /// The length and four of the bytes of a key (the first two, the middle one and the last), as one word.
    private static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = bytes.count
        guard count > 0 else { return 0 }
        var word = UInt64(truncatingIfNeeded: count)
        word |= UInt64(bytes[0]) << 8 | UInt64(bytes[min(1, count - 1)]) << 16
        word |= UInt64(bytes[count / 2]) << 24 | UInt64(bytes[count - 1]) << 32
        return word
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    public var description: String { rawValue }

    /// The cloud of a `CLOUD_FUNCTION` connection: `aliyun`, `tencent` or `aws`.
    package static let provider = Self(rawValue: "PROVIDER")
    /// The cloud region, such as `cn-hangzhou`, `ap-guangzhou` or `us-east-1`.
    package static let region = Self(rawValue: "REGION")
    /// The role the lakehouse assumes in the customer's account.
    package static let roleARN = Self(rawValue: "ROLE_ARN")
    /// The function namespace (Tencent SCF); `default` elsewhere.
    package static let namespace = Self(rawValue: "NAMESPACE")
    /// The bucket holding function code.
    package static let codeBucket = Self(rawValue: "CODE_BUCKET")
    /// The generated, sealed external ID for the role's trust policy; never supplied by users.
    public static let externalID = Self(rawValue: "EXTERNAL_ID")
    /// The object storage endpoint, a host name or an `https://` URL.
    package static let endpoint = Self(rawValue: "ENDPOINT")
    /// The OSS AccessKey ID.
    package static let accessID = Self(rawValue: "ACCESS_ID")
    /// The OSS AccessKey secret, or the COS SecretId (COS calls its key id `ACCESS_KEY`).
    package static let accessKey = Self(rawValue: "ACCESS_KEY")
    /// The Tencent Cloud APPID.
    package static let appID = Self(rawValue: "APP_ID")
    /// The COS SecretKey.
    package static let secretKey = Self(rawValue: "SECRET_KEY")
    /// The AWS access key id.
    package static let accessKeyID = Self(rawValue: "ACCESS_KEY_ID")
    /// The AWS secret access key.
    package static let secretAccessKey = Self(rawValue: "SECRET_ACCESS_KEY")
}
