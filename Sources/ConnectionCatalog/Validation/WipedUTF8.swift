/// A value's UTF-8 bytes in storage that is wiped when it goes, owned by the layer that read them.
///
/// The SQL layer's string literals conform: they reach the validator as `PropertyInput.wiped` without a copy,
/// and the validator copies a sealed key's bytes into a `PlaintextSecret` and makes a `String` only of a plain
/// key's.
package protocol WipedUTF8: Sendable {
    /// Lends the bytes, which are valid UTF-8, to `body`; they must not escape it.
    func withUTF8Bytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R
}
