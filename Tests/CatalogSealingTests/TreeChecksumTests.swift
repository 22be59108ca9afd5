import CatalogSealing
import Testing

/// `TreeChecksum`: the keyed BLAKE2b tree that backups are authenticated with (docs/backup.md).
@Suite struct TreeChecksumTests {
    let key = ChecksumKey(master: MasterKey.generate())
    let data = SecureRandom.bytes(count: 100_003)

    func tree(
        _ data: [UInt8], leafSize: Int = 4096, pieces: Int = .max, key: ChecksumKey? = nil, context: String = "c"
    )
        -> [UInt8]
    {
        let checksum = TreeChecksum(key: key ?? self.key, leafSize: leafSize)
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + min(pieces, data.count - offset))
            checksum.update(Array(data[offset..<end]))
            offset = end
        }
        return checksum.finalize(binding: Array(context.utf8))
    }

    @Test func theSameDataInAnyPiecesGivesTheSameChecksum() {
        let whole = tree(data)
        for pieces in [1, 7, 4095, 4096, 4097, 50_000] {
            #expect(tree(data, pieces: pieces) == whole, "fed in pieces of \(pieces)")
        }
        #expect(whole.count == TreeChecksum.byteCount)
    }

    @Test func theRootIsTheDocumentedLayoutOfKeyedLeaves() {
        func bigEndian(_ value: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
        let leafSize = 4096
        var digests: [UInt8] = []
        var leaves = 0
        for start in stride(from: 0, to: data.count, by: leafSize) {
            let leaf = key.makeChecksum()
            leaf.update([0] + bigEndian(leaves) + Array(data[start..<min(start + leafSize, data.count)]))
            digests += leaf.finalize()
            leaves += 1
        }
        let context = Array("the manifest".utf8)
        let root = key.makeChecksum()
        root.update(
            [1] + bigEndian(leafSize) + bigEndian(data.count) + bigEndian(leaves) + digests + bigEndian(context.count)
                + context)
        #expect(tree(data, leafSize: leafSize, context: "the manifest") == root.finalize())
    }

    @Test func everyChangeOfTheDataChangesTheChecksum() {
        let original = tree(data)
        var changed: [[UInt8]] = []
        for position in [0, 4095, 4096, 50_000, data.count - 1] {
            var flipped = data
            flipped[position] ^= 0x01
            changed.append(flipped)
        }
        changed.append(Array(data.dropLast()))
        changed.append(data + [0])
        var swapped = data
        swapped.replaceSubrange(0..<4096, with: data[4096..<8192])
        swapped.replaceSubrange(4096..<8192, with: data[0..<4096])
        changed.append(swapped)
        for (index, variant) in changed.enumerated() {
            #expect(tree(variant) != original, "variant \(index) kept the checksum")
        }
    }

    @Test func theKeyTheContextAndTheLeafSizeAreBound() {
        let original = tree(data)
        #expect(tree(data, key: ChecksumKey(master: MasterKey.generate())) != original)
        #expect(tree(data, context: "d") != original)
        #expect(tree(data, leafSize: 8192) != original)
        #expect(tree([]) != tree([0]))
        #expect(tree([]) == tree([]))
    }

    @Test func aChecksumGivenUpHalfWayWaitsForItsLeaves() {
        // Dropped with leaves still in flight: `deinit` waits for the workers before it frees their buffers.
        for _ in 0..<20 {
            let checksum = TreeChecksum(key: key, leafSize: 1024, leavesInFlight: 2)
            checksum.update(data)
        }
        #expect(tree(data) == tree(data, pieces: 999))
    }
}
