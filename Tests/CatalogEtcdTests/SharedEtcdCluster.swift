import CatalogEtcd
import CatalogStorage
import CatalogTestSupport
import Foundation
import Synchronization
import Testing

/// A suite trait that starts one 3-member etcd cluster for the whole suite and stops it (every member, by PID)
/// when the suite ends; tests reach it through `SharedEtcdCluster.current` and keep apart by catalog prefix.
struct SharedEtcdCluster: SuiteTrait, TestScoping {
    /// Larger than etcd's default of 128, so that the conformance checks' change sets (300 puts, 300 scanned
    /// keys) fit one Txn; `EtcdStoreTests` checks the 128 limit with a store configured for it.
    static let maxTxnOperations = 1024

    @TaskLocal static var current: EtcdCluster?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try EtcdCluster(members: 3, maxTxnOperations: Self.maxTxnOperations)
        defer { cluster.stop() }
        try await Self.$current.withValue(cluster) { try await function() }
    }

    /// The suite's cluster (a test outside the trait is a bug in the test).
    static var cluster: EtcdCluster {
        guard let current else { preconditionFailure("use @Suite(.sharedEtcdCluster)") }
        return current
    }
}

extension Trait where Self == SharedEtcdCluster {
    /// One 3-member etcd cluster for the suite.
    static var sharedEtcdCluster: Self { Self() }
}

/// Options for a test store: keyspaces `a` and `b`, the cluster's Txn limit.
func testOptions(maxTxnOperations: Int = SharedEtcdCluster.maxTxnOperations) -> EtcdStore.Options {
    var options = EtcdStore.Options(keyspaces: ["a", "b"])
    options.maxTxnOperations = maxTxnOperations
    options.giveUpAfter = .seconds(20)
    return options
}

/// A catalog prefix no other test uses.
func freshPrefix(_ label: String) -> String { "\(label)-\(UUID().uuidString.prefix(8))" }

func key(_ string: String) -> RecordKey {
    // Test keys are short literals: a failure here is a bug in the test itself.
    try! RecordKey(string)
}

func bytes(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

func number(_ bytes: [UInt8]?) -> UInt64? {
    guard let bytes, bytes.count == 8 else { return nil }
    return bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
}

/// A count shared by closures that run on other threads (an `Atomic` cannot be captured by an escaping closure).
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// Adds one; returns the new count.
    @discardableResult
    func increment() -> Int { value.add(1, ordering: .relaxed).newValue }

    /// Sets the count from 0 to 1; returns whether this call did (the first caller wins).
    func claimFirst() -> Bool { value.compareExchange(expected: 0, desired: 1, ordering: .relaxed).exchanged }

    var count: Int { value.load(ordering: .relaxed) }
}
