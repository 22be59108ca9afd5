// The sealing layer on its own: what sealing and opening one small secret costs (DESIGN §8 gives ≈ 0.7 µs for
// a plain libsodium seal here). These replaced a unit test that only printed the figures.

import Benchmark
import CatalogSealing

/// `seal.secret32.catalog`: XChaCha20-Poly1305 seal of a 32-byte secret with its additional data, 1,000 per
/// iteration; `open.secret32.catalog`: opening one in place (`withOpened`), 1,000 per iteration.
func registerSealingBenchmarks() {
    let sealer = Sealer(keyring: Keyring.generate())
    let place = AdditionalData(
        catalogID: SecureRandom.bytes(count: 16), workspace: "default", connectionID: SecureRandom.bytes(count: 16),
        fieldName: "SECRET_ACCESS_KEY")
    let secret = SecureRandom.bytes(count: 32)
    Benchmark("seal.secret32.catalog", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(sealer.seal(secret, for: place)) }
    }
    let sealed = (0..<1_000).map { _ in sealer.seal(secret, for: place) }
    Benchmark("open.secret32.catalog", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(try sealer.withOpened(sealed[index], for: place) { Int($0[0]) })
            index = (index + 1) % sealed.count
        }
    }
}
