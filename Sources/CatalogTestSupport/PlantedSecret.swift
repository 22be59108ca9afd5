internal import CatalogSealing

/// A unique, recognisable random secret for one test: `PLANTED-` followed by 24 random alphanumerics
/// (32 bytes, so it can also serve as key material).
///
/// Plant it wherever a secret goes (a property value, a key, a passphrase), drive the code, and scan
/// everything that came out with `SecretScanner`.
public struct PlantedSecret: Sendable, Hashable, CustomStringConvertible {
    /// The secret text.
    public let value: String

    /// A fresh secret from libsodium's random source.
    public init() {
        self.value = "PLANTED-" + SecureRandom.alphanumeric(count: 24)
    }

    /// The UTF-8 bytes of the secret (32 bytes).
    public var bytes: [UInt8] { Array(value.utf8) }

    /// Avoids printing the secret itself in test logs, where a scanner might later find it.
    public var description: String { "PlantedSecret(\(value.utf8.count) bytes)" }
}
