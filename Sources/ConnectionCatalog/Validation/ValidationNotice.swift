/// Something validation let pass but a person should see, such as a REGION missing from the provider's
/// published list: the statement succeeds, and the notice travels with its outcome.
///
/// Like `CatalogError`, a notice has a stable code, a message for people and machine-readable details; it never
/// holds the value of a sealed property.
package struct ValidationNotice: Sendable, Equatable, CustomStringConvertible {
    /// What the notice is about, as a stable code.
    package struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        package let rawValue: String

        package init(rawValue: String) {
            self.rawValue = rawValue
        }

        package var description: String { rawValue }
    }

    /// What the notice is about.
    package var code: Code
    /// The notice for people, such as "region 'ap-nowhere-9' is not in the list of known tencent regions; …".
    package var message: String
    /// Machine-readable details: `property`, `value`, `provider`, `suggestion`.
    package var details: [String: String]

    package init(_ code: Code, _ message: String, details: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    package var description: String { message }
}

extension ValidationNotice.Code {
    /// REGION is well formed for its provider but not in the provider's published list (`RegionCatalog`).
    package static let unknownRegion = Self(rawValue: "unknown_region")
}

extension ValidationNotice {
    /// The notice for a well-formed `region` that `provider` does not publish, or `nil` if it does.
    static func unknownRegion(_ region: String, for provider: Provider) -> ValidationNotice? {
        guard !RegionCatalog.isKnown(region, for: provider) else { return nil }
        let nearest = RegionCatalog.nearest(to: region, for: provider)
        return ValidationNotice(
            .unknownRegion,
            "region '\(region)' is not in the list of known \(provider) regions; check the spelling"
                + " (nearest known: \(nearest))",
            details: [
                "property": PropertyKey.region.rawValue, "value": region, "provider": provider.rawValue,
                "suggestion": nearest,
            ])
    }
}
