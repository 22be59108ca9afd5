internal import CSodium
public import Logging

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Where the master key comes from; DESIGN.md §3 lists them in order of preference.
public enum MasterKeySource: Sendable, CustomStringConvertible {
    /// A key file (one line: standard base64 of 32 bytes). Created with a fresh random key, mode `0600`,
    /// if missing; refused if group or others have any permission on it.
    case keyFile(path: String)
    /// The `CATALOG_MASTER_KEY` environment variable: standard base64 of exactly 32 bytes.
    case environment
    /// A passphrase stretched by Argon2id with the catalog's stored `PassphraseParameters`.
    case passphrase(SecretBytes)

    /// The environment variable read by `.environment`.
    public static let environmentVariable = "CATALOG_MASTER_KEY"

    public var description: String {
        switch self {
        case .keyFile(let path): "key file \(path)"
        case .environment: "environment variable \(Self.environmentVariable)"
        case .passphrase: "passphrase"
        }
    }

    /// Produces the master key from this source.
    ///
    /// - Parameters:
    ///   - passphraseParameters: the salt and limits stored with the catalog; required for `.passphrase`.
    ///   - environment: variables to read instead of the process environment (for tests).
    ///   - logger: receives events (key file created or loaded), never key material.
    /// - Throws: `SealingError` `.invalidValue` for an insecure key file (the message says
    ///   `chmod 600 <path>`), a missing variable, bad base64 or a wrong key length, or missing or
    ///   out-of-range passphrase parameters; `.ioError` if the key file cannot be read or created.
    ///   A key that is merely wrong is found later, by `MasterKey.verify(checkValue:)`.
    public func resolve(
        passphraseParameters: PassphraseParameters? = nil,
        environment: [String: String]? = nil,
        logger: Logger? = nil
    ) throws(SealingError) -> MasterKey {
        switch self {
        case .keyFile(let path):
            return try KeyFile.loadOrCreate(at: path, logger: logger)
        case .environment:
            return try Self.fromEnvironment(environment, logger: logger)
        case .passphrase(let passphrase):
            guard let passphraseParameters else {
                throw .invalid(
                    .missingKey,
                    "a passphrase needs the catalog's stored salt and limits; pass the PassphraseParameters "
                        + "saved in meta (or new ones when creating a catalog)")
            }
            return try Self.stretch(passphrase, with: passphraseParameters, logger: logger)
        }
    }

    private static func fromEnvironment(
        _ environment: [String: String]?, logger: Logger?
    ) throws(SealingError) -> MasterKey {
        let source = "environment variable \(environmentVariable)"
        let missing = SealingError.invalid(
            .missingKey,
            "\(environmentVariable) is not set; set it to the standard base64 of a 32-byte key "
                + "(for example: head -c 32 /dev/urandom | base64)",
            details: ["variable": environmentVariable])
        let key: SecretBytes
        if let environment {
            guard var value = environment[environmentVariable] else { throw missing }
            let decoded = value.withUTF8 { text in
                Result { () throws(SealingError) -> SecretBytes in
                    try Base64.decodeSecret(UnsafeRawBufferPointer(text), count: MasterKey.byteCount, source: source)
                }
            }
            key = try decoded.get()
        } else {
            guard let value = getenv(environmentVariable) else { throw missing }
            let text = UnsafeRawBufferPointer(start: value, count: strlen(value))
            key = try Base64.decodeSecret(text, count: MasterKey.byteCount, source: source)
        }
        logger?.debug("master key read from the environment", metadata: ["variable": "\(environmentVariable)"])
        return MasterKey(unchecked: key)
    }

    /// Derives a master key from a passphrase with Argon2id. Wraps `crypto_pwhash`.
    private static func stretch(
        _ passphrase: SecretBytes, with parameters: PassphraseParameters, logger: Logger?
    ) throws(SealingError) -> MasterKey {
        try parameters.validate()
        guard passphrase.count > 0 else {
            throw .invalid(.missingKey, "the passphrase is empty; choose a long passphrase")
        }
        let key = try SecretBytes(count: MasterKey.byteCount) {
            (out: UnsafeMutableRawBufferPointer) throws(SealingError) in
            let status = passphrase.withBytes { text in
                parameters.salt.withUnsafeBytes { salt in
                    crypto_pwhash(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(out.count),
                        text.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(text.count),
                        salt.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        parameters.opsLimit, Int(parameters.memLimit), crypto_pwhash_alg_argon2id13())
                }
            }
            guard status == 0 else {
                throw SealingError(
                    code: .ioError, reason: .keyDerivationFailed,
                    message: "Argon2id could not derive the key (usually not enough memory for memLimit "
                        + "\(parameters.memLimit)); free memory or use a machine with more",
                    underlying: SystemCallError(function: "crypto_pwhash", errno: errno))
            }
        }
        logger?.debug(
            "master key derived from passphrase",
            metadata: ["ops_limit": "\(parameters.opsLimit)", "mem_limit": "\(parameters.memLimit)"])
        return MasterKey(unchecked: key)
    }
}
