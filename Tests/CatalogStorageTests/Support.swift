import CatalogStorage
import CatalogTestSupport

/// Opens a fresh environment with one database named `data` in a new temporary directory.
func makeEnvironment(
    mapSize: Int = 1 << 30, maxReaders: Int = 512, in directory: TemporaryDirectory
) throws
    -> (Environment, Database)
{
    var options = Environment.Options(databases: ["data"], mapSize: mapSize)
    options.maxReaders = maxReaders
    let environment = try Environment.open(at: directory.appending("env"), options: options)
    return (environment, try environment.database("data"))
}

func bytes(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

func number(_ bytes: [UInt8]?) -> UInt64? {
    guard let bytes, bytes.count == 8 else { return nil }
    return bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
}

func key(_ string: String) -> RecordKey {
    // Test keys are short literals: a failure here is a bug in the test itself.
    try! RecordKey(string)
}
