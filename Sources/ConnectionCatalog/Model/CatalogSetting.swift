/// The catalog settings this program knows, kept in `meta` as `setting/<name>`.
///
/// Only these may be set: a mistyped name (`trust.tencent.principle`) would otherwise be stored, reported as
/// done, and silently never used.
package enum CatalogSetting {
    /// `trust.<provider>.principal`: the platform principal `DESC CONNECTION EXTENDED` puts in that provider's
    /// trust policy document.
    package static func trustPrincipal(for provider: Provider) -> String { "trust.\(provider.rawValue).principal" }

    /// Every known setting name, in a stable order.
    package static var knownNames: [String] { Provider.allCases.map(trustPrincipal(for:)) }

    /// Whether `name` is a known setting.
    package static func isKnown(_ name: String) -> Bool { knownNames.contains(name) }

    /// The known setting nearest to `name`, if it is close enough to be a plausible typo.
    package static func nearest(to name: String) -> String? { EditDistance.nearest(to: name, in: knownNames) }
}
