internal import CSodium

extension Sodium {
    /// The version of the libsodium library this process runs with, such as `1.0.18`, for `catalog --version`.
    /// Wraps `sodium_version_string`.
    public static var version: String { String(cString: sodium_version_string()) }
}
