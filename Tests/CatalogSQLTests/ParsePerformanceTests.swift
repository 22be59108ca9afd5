import CatalogSQL
import Testing

/// Prints what parsing a typical statement costs; a figure to watch, not a pass/fail threshold.
@Suite struct ParsePerformanceTests {
    static let typicalCreate = """
        CREATE API CONNECTION IF NOT EXISTS fc_prod TYPE = CLOUD_FUNCTION
            PROVIDER = 'aliyun' REGION = 'cn-hangzhou' ROLE_ARN = 'acs:ram::1234567890123456:role/lakehouse-fc'
            CODE_BUCKET = 'lakehouse-code' COMMENT = 'production functions'
        """

    @Test func measureParseOfTypicalCreate() throws {
        #if DEBUG
            let iterations = 10_000
        #else
            let iterations = 100_000
        #endif
        let clock = ContinuousClock()
        var properties = 0
        let elapsed = try clock.measure {
            for _ in 0..<iterations {
                if case .createConnection(let create) = try Parser.parseOne(Self.typicalCreate).statement {
                    properties += create.properties.count
                }
            }
        }
        #expect(properties == 4 * iterations)
        let perStatement = elapsed / iterations
        print("parse of a typical CREATE: \(perStatement) per statement over \(iterations) iterations")
    }
}
