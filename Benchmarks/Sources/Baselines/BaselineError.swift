internal import RawBaseline

/// A failure of the C reference or of the SQLite reference, with the call that failed.
///
/// Benchmarks stop on the first one: a baseline that fails measures nothing.
public struct BaselineError: Error, CustomStringConvertible, Sendable {
    /// The C function (or SQL operation) that failed.
    public var operation: String
    /// Its return code: LMDB's, errno, or one of raw_baseline.h's `RB_*`.
    public var code: Int32
    public var message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    public var description: String { "\(operation) failed: \(message) (\(code))" }
}

/// Runs one call into the C reference and turns a non-zero return code into a `BaselineError`.
@inline(__always)
func check(_ operation: StaticString, _ body: () -> Int32) throws(BaselineError) {
    let rc = body()
    guard rc == 0 else {
        throw BaselineError(operation: "\(operation)", code: rc, message: String(cString: rb_strerror(rc)))
    }
}

/// Starts the C reference: libsodium and the process's sealing key. Safe to call more than once.
public func initializeBaselines() throws(BaselineError) {
    try check("rb_init") { rb_init() }
}
