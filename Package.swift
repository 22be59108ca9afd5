// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "ConnectionCatalog",
    products: [
        .library(name: "ConnectionCatalog", targets: ["ConnectionCatalog"]),
        .library(name: "CatalogStorage", targets: ["CatalogStorage"]),
        .library(name: "CatalogSealing", targets: ["CatalogSealing"]),
        .library(name: "CatalogSQL", targets: ["CatalogSQL"]),
        .library(name: "CatalogBackup", targets: ["CatalogBackup"]),
        .library(name: "CatalogEtcd", targets: ["CatalogEtcd"]),
        .executable(name: "catalog", targets: ["CatalogCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        // `swift package generate-documentation` (make docs): the DocC catalogs of ConnectionCatalog and CatalogSQL.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // C at the bottom: only CatalogStorage imports CLMDB, only CatalogSealing imports CSodium.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // Line editing for the interactive shell: only CatalogCommand imports CLibEdit.
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),

        .target(
            name: "CatalogStorage",
            dependencies: [
                "CLMDB", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "CatalogSealing",
            dependencies: ["CSodium", .product(name: "Logging", package: "swift-log")]
        ),
        // The storage contract on an etcd cluster, through its JSON gateway (Foundation's URLSession, no C).
        .target(
            name: "CatalogEtcd",
            dependencies: ["CatalogStorage", .product(name: "Metrics", package: "swift-metrics")]
        ),
        // The record checksum, in C for the CPU's CRC32C instruction (Swift cannot reach it).
        .target(name: "CCRC32C"),
        .target(
            name: "ConnectionCatalog",
            dependencies: [
                "CatalogStorage", "CatalogSealing", "CCRC32C", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The SQL text itself: keywords, lexer, parser, statements, redaction. No dependency, so that the fuzzer
        // builds exactly this and nothing else (Fuzz/).
        .target(name: "CatalogSQLSyntax"),
        .target(
            name: "CatalogSQL",
            dependencies: ["CatalogSQLSyntax", "ConnectionCatalog", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "CatalogBackup",
            dependencies: [
                "ConnectionCatalog", "CatalogStorage", "CatalogSealing",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "CatalogCommand",
            dependencies: [
                "CatalogSQL", "CatalogBackup", "ConnectionCatalog", "CatalogStorage", "CatalogSealing", "CatalogEtcd",
                "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test-only code: temporary directories, helper processes, the planted-secret scanner.
        .target(name: "CatalogTestSupport", dependencies: ["CatalogStorage", "CatalogSealing"]),
        .executableTarget(name: "StorageTestHelper", dependencies: ["CatalogStorage"]),
        .executableTarget(name: "CatalogTestHelper", dependencies: ["ConnectionCatalog", "CatalogSealing"]),
        // Writes catalogs of earlier schema versions with this program's own code (Tests/Fixtures/README.md).
        .executableTarget(name: "FixtureWriter", dependencies: ["ConnectionCatalog", "CatalogSealing"]),

        .testTarget(
            name: "CatalogStorageTests",
            dependencies: ["CatalogStorage", "CatalogTestSupport", "StorageTestHelper"]
        ),
        .testTarget(
            name: "CatalogEtcdTests",
            dependencies: [
                "CatalogEtcd", "CatalogStorage", "CatalogTestSupport", "ConnectionCatalog", "CatalogSealing",
                "CatalogBackup",
            ]
        ),
        .testTarget(
            name: "CatalogSealingTests",
            dependencies: ["CatalogSealing", "CatalogTestSupport"]
        ),
        .testTarget(
            name: "ConnectionCatalogTests",
            dependencies: [
                "ConnectionCatalog", "CatalogTestSupport", "CatalogTestHelper", "FixtureWriter",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "CatalogBackupTests",
            dependencies: [
                "CatalogBackup", "ConnectionCatalog", "CatalogStorage", "CatalogSealing", "CatalogTestSupport",
            ]
        ),
        .testTarget(
            name: "CatalogCommandTests",
            dependencies: [
                "CatalogCommand", "CatalogSQL", "CatalogTestSupport", "ConnectionCatalog", "CatalogSealing",
                "CatalogStorage",
            ]
        ),
        // The metrics of every layer, each test with its own backend bound while it opens (`withMetricsFactory`).
        .testTarget(
            name: "CatalogMetricsTests",
            dependencies: [
                "ConnectionCatalog", "CatalogStorage", "CatalogEtcd", "CatalogSealing", "CatalogTestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "CatalogSQLTests",
            dependencies: ["CatalogSQL", "ConnectionCatalog", "CatalogTestSupport", "CatalogSealing"]
        ),
    ]
)

// One loop applies the strict settings to every Swift target.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}

// The library modules say of every public type whether it is `Sendable` (`-require-explicit-sendable`, which
// Swift 6.2 made the diagnostic group `ExplicitSendable`): a conformance, or an unavailable one for a type that
// must stay on one thread. A warning here, so CI's `-warnings-as-errors` makes it an error.
let libraries: Set = [
    "ConnectionCatalog", "CatalogStorage", "CatalogSealing", "CatalogSQL", "CatalogBackup", "CatalogEtcd",
]
for target in package.targets where libraries.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.treatWarning("ExplicitSendable", as: .warning)]
}
