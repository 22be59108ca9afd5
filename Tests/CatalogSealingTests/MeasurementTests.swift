import CatalogSealing
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Not an assertion: prints the cost per call of sealing and opening a 32-byte secret.
@Suite struct MeasurementTests {
    func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    @Test func sealAndOpenCostPerCall() throws {
        let sealer = Sealer(keyring: Keyring.generate())
        let place = Fixture.place()
        let secret = SecureRandom.bytes(count: 32)
        let iterations = 100_000
        var values: [SealedValue] = []
        values.reserveCapacity(iterations)

        var start = nanoseconds()
        for _ in 0..<iterations { values.append(sealer.seal(secret, for: place)) }
        let seal = Double(nanoseconds() - start) / Double(iterations) / 1000

        var total = 0
        start = nanoseconds()
        for value in values { total &+= try sealer.withOpened(value, for: place) { Int($0[0]) } }
        let withOpened = Double(nanoseconds() - start) / Double(iterations) / 1000

        start = nanoseconds()
        for value in values.prefix(iterations / 10) { total &+= try sealer.open(value, for: place).count }
        let open = Double(nanoseconds() - start) / Double(iterations / 10) / 1000

        print("sealing cost (32-byte secret): seal \(seal) µs, withOpened \(withOpened) µs, "
            + "open into SecretBytes \(open) µs (checksum \(total & 1))")
        #expect(values.count == iterations)
    }
}
