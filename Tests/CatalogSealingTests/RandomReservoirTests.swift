import CatalogSealing
import Testing

/// `RandomReservoir`, the random bytes of a write's ids, external IDs and nonces (and of a key rotation's nonces)
/// drawn a block at a time: every byte handed out once, and values as random as ones drawn alone.
@Suite struct RandomReservoirTests {
    /// Takes `count` bytes from `reservoir` as one array.
    static func take(_ count: Int, from reservoir: RandomReservoir) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            reservoir.take(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    @Test(arguments: [24, 100, 4096])
    func noNonceIsHandedOutTwice(blockSize: Int) {
        // Block sizes that split nonces across draws, hold a few, and hold many.
        let reservoir = RandomReservoir(blockSize: blockSize)
        let nonces = (0..<5_000).map { _ in Self.take(24, from: reservoir) }
        #expect(Set(nonces).count == nonces.count)
        #expect(!nonces.contains([UInt8](repeating: 0, count: 24)))
    }

    @Test func aTakeLargerThanTheBlockSpansDraws() {
        // 64 KiB through a 48-byte block: every byte value turns up about 256 times (σ ≈ 16); a span left
        // unfilled or copied twice would show as too many zeros or a repeated block.
        let bytes = Self.take(65_536, from: RandomReservoir(blockSize: 48))
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        #expect(counts.min()! > 150 && counts.max()! < 370, "from \(counts.min()!) to \(counts.max()!)")
        let blocks = stride(from: 0, to: bytes.count, by: 48).map { Array(bytes[$0..<min($0 + 48, bytes.count)]) }
        #expect(Set(blocks).count == blocks.count)
    }

    @Test func generatedNumbersDoNotRepeat() {
        let generator = RandomReservoir(blockSize: 40)
        let numbers = (0..<10_000).map { _ in generator.next() }
        #expect(Set(numbers).count == numbers.count)
    }

    @Test func externalIDsFromAReservoirAreUniformAndOpen() throws {
        // 620,000 symbols, 10,000 expected each (σ ≈ 100), as `alphanumericSymbolsAreEquallyLikely` checks for
        // the identifiers drawn alone; each sealed identifier opens to exactly its characters.
        let sealer = Sealer(keyring: Keyring.generate())
        let reservoir = RandomReservoir(blockSize: 100)
        let place = Fixture.place(field: "EXTERNAL_ID")
        let alphanumerics = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var counts = [UInt8: Int]()
        var seen = Set<[UInt8]>()
        for _ in 0..<(620_000 / 20) {
            let sealed = sealer.sealNewAlphanumeric(count: 20, for: place, random: reservoir)
            let plaintext = try sealer.withOpened(sealed, for: place) { Array($0) }
            #expect(plaintext.count == 20 && plaintext.allSatisfy(alphanumerics.contains))
            // The nonce is bytes 5..<29 of the envelope (version, key id, nonce: docs/format.md).
            #expect(seen.insert(Array(sealed.bytes[5..<29])).inserted, "a nonce repeated")
            for symbol in plaintext { counts[symbol, default: 0] += 1 }
        }
        #expect(counts.count == 62)
        let (low, high) = (counts.values.min() ?? 0, counts.values.max() ?? 0)
        #expect(Double(high) / Double(max(low, 1)) < 1.12, "from \(low) to \(high)")
    }

    @Test func aValueSealedWithAReservoirNonceOpens() throws {
        let sealer = Sealer(keyring: Keyring.generate())
        let reservoir = RandomReservoir()
        let secret = Array("wJalrXUtnFEMI/K7MDENG".utf8)
        let place = Fixture.place()
        let first = secret.withUnsafeBytes { sealer.seal($0, for: place, random: reservoir) }
        let second = secret.withUnsafeBytes { sealer.seal($0, for: place, random: reservoir) }
        #expect(first.bytes != second.bytes)
        #expect(try sealer.withOpened(first, for: place) { Array($0) } == secret)
        #expect(try sealer.withOpened(second, for: place) { Array($0) } == secret)
    }
}
