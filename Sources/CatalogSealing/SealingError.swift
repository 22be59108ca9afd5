/// The one error type of the sealing layer: a stable code, a reason, a message that says what to do.
///
/// Messages never contain key bytes, plaintext, passphrases, or the contents of a key file or
/// environment variable; they name paths, variable names, key ids and lengths only.
public struct SealingError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code; raw values are the error codes of DESIGN.md §5.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// What exactly went wrong, finer than `code`, so callers and tests can tell causes apart.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The master key is not the one the catalog was created with (`wrong_key`).
        case wrongMasterKey
        /// Authentication of sealed bytes failed: tampered, swapped or sealed for another place
        /// (`integrity_error`).
        case authenticationFailed
        /// An envelope, keyring or check value is shorter than its format requires (`integrity_error`).
        case truncated
        /// The envelope names a data key id the keyring does not hold (`integrity_error`).
        case unknownKeyID
        /// A keyring or check value is structurally damaged (`integrity_error`).
        case malformed
        /// The envelope or stored structure carries a format version this program does not know
        /// (`invalid_value`).
        case unknownVersion
        /// Text that should be base64 or hex is not (`invalid_value`).
        case invalidEncoding
        /// Key material has the wrong number of bytes (`invalid_value`).
        case invalidKeyLength
        /// The key file can be read by group or others (`invalid_value`).
        case insecureKeyFile
        /// No key is available from the chosen source (`invalid_value`).
        case missingKey
        /// Passphrase parameters are out of range (`invalid_value`).
        case invalidParameters
        /// Reading or writing the key file failed (`io_error`).
        case fileSystem
        /// Argon2id could not run, usually for lack of memory (`io_error`).
        case keyDerivationFailed
    }

    public var code: Code
    public var reason: Reason
    /// Human-readable, says what to do; never contains secret bytes.
    public var message: String
    /// Machine-readable context: `path`, `key_id`, `variable`, `length`. Never secret values.
    public var details: [String: String]
    /// The lower-level cause (for example the `errno` of a failed system call), if any.
    public var underlying: (any Error)?

    public init(
        code: Code, reason: Reason, message: String, details: [String: String] = [:],
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.underlying = underlying
    }

    public var description: String {
        if let underlying {
            return "\(code.rawValue): \(message) (\(underlying))"
        }
        return "\(code.rawValue): \(message)"
    }
}

extension SealingError.Code {
    /// The master key does not match the catalog's check value.
    public static let wrongKey = Self(rawValue: "wrong_key")
    /// Sealed bytes failed authentication, are truncated, or name an unknown data key.
    public static let integrityError = Self(rawValue: "integrity_error")
    /// Input is malformed: bad base64, wrong key length, unknown envelope version, insecure key file.
    public static let invalidValue = Self(rawValue: "invalid_value")
    /// A key file could not be read or written.
    public static let ioError = Self(rawValue: "io_error")
}

extension SealingError {
    static func wrongKey(_ message: String) -> SealingError {
        SealingError(code: .wrongKey, reason: .wrongMasterKey, message: message)
    }

    static func integrity(_ reason: Reason, _ message: String, details: [String: String] = [:]) -> SealingError {
        SealingError(code: .integrityError, reason: reason, message: message, details: details)
    }

    static func invalid(_ reason: Reason, _ message: String, details: [String: String] = [:]) -> SealingError {
        SealingError(code: .invalidValue, reason: reason, message: message, details: details)
    }
}

/// A failed system call: the function name and `errno`. Used as `SealingError.underlying`.
struct SystemCallError: Error, CustomStringConvertible {
    var function: String
    var errno: Int32
    var description: String { "\(function) failed: \(systemErrorMessage(errno)) (errno \(errno))" }
}
