// swift-tools-version: 6.1
// The benchmark package: a nested package so that the root build and `swift test` never build it.
//
// `make bench` and `make bench-smoke` at the root run it (README.md); by hand, from this folder:
//   swift package --allow-writing-to-package-directory benchmark                       # 10k and 100k
//   swift package --allow-writing-to-package-directory benchmark --filter '.*\.10k|create\..*'  # a subset
//   BENCH_LARGE=1 swift package --allow-writing-to-package-directory benchmark          # adds 1M
import PackageDescription

let package = Package(
    name: "ConnectionCatalogBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The MallocInterposer trait alone: on Swift 6.3/Linux the default traits also pull in
        // swift-runtime-interposer, which this machine's package mirror does not carry.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // Latency histograms for the load tool (package-benchmark already depends on it).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // The catalog itself, for the catalog benchmarks the lead adds beside the baselines.
        .package(name: "ConnectionCatalog", path: ".."),
    ],
    targets: [
        // The raw-C reference: the catalog's work done with liblmdb and libsodium directly.
        .target(
            name: "RawBaseline",
            linkerSettings: [.linkedLibrary("lmdb"), .linkedLibrary("sodium")]
        ),
        // Swift faces of the two references: RawStore over the C target, SQLiteStore over GRDB (which
        // opens sealed values with the C target, so both pay the same crypto).
        .target(
            name: "Baselines",
            dependencies: ["RawBaseline", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "CatalogBenchmarks",
            dependencies: [
                "Baselines",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ConnectionCatalog", package: "ConnectionCatalog"),
                .product(name: "CatalogSQL", package: "ConnectionCatalog"),
                .product(name: "CatalogSealing", package: "ConnectionCatalog"),
                .product(name: "CatalogBackup", package: "ConnectionCatalog"),
            ],
            path: "Benchmarks/CatalogBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The catalog on LMDB beside the catalog on etcd (a 3-member loopback cluster it starts and stops):
        // DESC, SHOW, batch, autocommit and 8/64 concurrent creates (README.md, "LMDB beside etcd").
        .executableTarget(
            name: "EtcdBenchmarks",
            dependencies: [
                "Baselines",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ConnectionCatalog", package: "ConnectionCatalog"),
                .product(name: "CatalogSQL", package: "ConnectionCatalog"),
                .product(name: "CatalogSealing", package: "ConnectionCatalog"),
                .product(name: "CatalogEtcd", package: "ConnectionCatalog"),
            ],
            path: "Benchmarks/EtcdBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // DESC readers and ALTER writers on one catalog from several threads and processes, then a check that no
        // acknowledged ALTER was lost (README.md, "Load tool"). Baselines only for ConnectionIdentity's names.
        .executableTarget(
            name: "LoadTool",
            dependencies: [
                "Baselines",
                .product(name: "ConnectionCatalog", package: "ConnectionCatalog"),
                .product(name: "CatalogSQL", package: "ConnectionCatalog"),
                .product(name: "CatalogSealing", package: "ConnectionCatalog"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Memory and file size at scale (docs/performance.md, "Memory and file size"): peak RSS of the built `catalog`
        // binary during backup, verify, restore, export and import of N connections, and the size of the catalog's
        // data.mdb beside the SQLite reference's file for the same connections.
        .executableTarget(
            name: "FootprintTool",
            dependencies: [
                "Baselines",
                .product(name: "ConnectionCatalog", package: "ConnectionCatalog"),
                .product(name: "CatalogSealing", package: "ConnectionCatalog"),
            ]
        ),
    ]
)

// The root package's strict settings, applied to every Swift target here too.
for target in package.targets where target.type != .system && target.name != "RawBaseline" {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
