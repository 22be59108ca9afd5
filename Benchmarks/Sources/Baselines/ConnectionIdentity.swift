internal import RawBaseline

/// The workspace and name of generated connection number `index`, as both references spell them.
///
/// Lookups are built outside the measured region, so neither reference pays for formatting names.
public struct ConnectionIdentity: Sendable {
    public let index: UInt64
    public let workspace: String
    public let name: String
    /// The same bytes as `workspace` and `name`, ready for the C API.
    let workspaceBytes: [CChar]
    let nameBytes: [CChar]

    public init(index: UInt64) {
        var identity = rb_identity()
        rb_identity_for(index, &identity)
        self.index = index
        workspaceBytes = withUnsafeBytes(of: &identity.workspace) { raw in
            raw.prefix(identity.workspace_len).map { CChar(bitPattern: $0) }
        }
        nameBytes = withUnsafeBytes(of: &identity.name) { raw in
            raw.prefix(identity.name_len).map { CChar(bitPattern: $0) }
        }
        workspace = String(decoding: workspaceBytes.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        name = String(decoding: nameBytes.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `count` identities drawn uniformly from connections `0..<records`, the same for the same seed.
    public static func randomSample(count: Int, records: UInt64, seed: UInt64) -> [ConnectionIdentity] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in ConnectionIdentity(index: generator.next() % records) }
    }
}

/// A small deterministic generator, so that every run looks up the same connections.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
