/// Whether a connection calls functions (`API`) or reads object storage (`STORAGE`).
public enum ConnectionCategory: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case api = "API"
    case storage = "STORAGE"

    /// Parses `text` in any case; `nil` if it names no category.
    package init?(parsing text: String) {
        self.init(rawValue: ASCII.uppercased(text))
    }

    public var description: String { rawValue }
}

/// The kind of a connection, which fixes its category and its property schema.
public enum ConnectionType: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Alibaba Cloud Function Compute, Tencent Cloud SCF or AWS Lambda, chosen by `PROVIDER`.
    case cloudFunction = "CLOUD_FUNCTION"
    /// Alibaba Cloud Object Storage Service.
    case oss = "OSS"
    /// Tencent Cloud Object Storage.
    case cos = "COS"
    /// Amazon S3.
    case s3 = "S3"

    /// Parses `text` in any case; `nil` if it names no type.
    package init?(parsing text: String) {
        self.init(rawValue: ASCII.uppercased(text))
    }

    /// The category this type belongs to.
    package var category: ConnectionCategory {
        switch self {
        case .cloudFunction: .api
        case .oss, .cos, .s3: .storage
        }
    }

    /// The cloud a storage type belongs to; `nil` for `CLOUD_FUNCTION`, whose `PROVIDER` property says.
    package var impliedProvider: Provider? {
        switch self {
        case .cloudFunction: nil
        case .oss: .aliyun
        case .cos: .tencent
        case .s3: .aws
        }
    }

    /// The cloud of a connection of this type whose PROVIDER property is `property`: the one it names (a
    /// CLOUD_FUNCTION says), else the one the type implies; `nil` when neither says (a PROVIDER this program
    /// does not know). The one rule every layer uses.
    package func provider(named property: String?) -> Provider? {
        property.flatMap(Provider.init(parsing:)) ?? impliedProvider
    }

    public var description: String { rawValue }
}

/// The cloud behind a connection; parsed in any case and stored lower case.
package enum Provider: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Alibaba Cloud.
    case aliyun
    /// Tencent Cloud.
    case tencent
    /// Amazon Web Services.
    case aws

    /// Parses `text` in any case; `nil` if it names no provider.
    package init?(parsing text: String) {
        self.init(rawValue: ASCII.lowercased(text))
    }

    /// Parses `text` in any case, as the value of PROVIDER.
    ///
    /// - Throws: `CatalogError` `.invalidValue` listing the supported providers.
    package init(validating text: String) throws(CatalogError) {
        guard let provider = Provider(parsing: text) else {
            let valid = Provider.allCases.map(\.rawValue).joined(separator: ", ")
            throw CatalogError(
                .invalidValue, "PROVIDER '\(text)' is not supported; use one of \(valid)",
                details: ["property": "PROVIDER", "expected": valid])
        }
        self = provider
    }

    package var description: String { rawValue }
}
