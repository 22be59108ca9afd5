internal import CatalogSealing

/// A secret property value on its way to being sealed; it never prints, reflects or compares.
///
/// The bytes live in `WipedBytes`, wiped when the last copy goes. Validation hands these to the catalog,
/// which seals them at once and drops them. `description`,
/// `debugDescription` and the mirror all say `<redacted>`, so a secret cannot reach a log line, an error
/// message or a test failure by accident. Read the bytes only through `withBytes(_:)`.
package struct PlaintextSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let storage: WipedBytes

    /// Copies the UTF-8 bytes of `value` into wiped storage.
    package init(_ value: String) {
        storage = WipedBytes(utf8: value)
    }

    /// Copies `bytes` into wiped storage, so that a value that was never a `String` (a SQL literal) does not
    /// become one.
    package init(copying bytes: UnsafeRawBufferPointer) {
        storage = WipedBytes(copying: bytes)
    }

    /// The number of bytes in the secret (the length is not considered secret).
    package var count: Int { storage.count }

    /// Lends the secret's bytes to `body`; do not let them escape it.
    package func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withBytes(body)
    }

    /// Whether the secret equals `bytes`, in time that depends only on the lengths.
    package func isEqual(to bytes: some Collection<UInt8>) -> Bool {
        guard bytes.count == storage.count else { return false }
        return storage.withBytes { stored in
            var difference: UInt8 = 0
            for (a, b) in zip(stored, bytes) { difference |= a ^ b }
            return difference == 0
        }
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
