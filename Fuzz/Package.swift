// swift-tools-version: 6.1
// The parser's fuzzer. A nested package so the root build never compiles it.
//
// `CatalogSQLCore` is the front half of CatalogSQL (lexer, parser, AST, redaction) through symlinks,
// because the root package does not export CatalogSQL as a product and a fuzzer wants only the code
// that reads untrusted text. `swift build` here type-checks the entry point; `./run.sh SECONDS` builds
// the libFuzzer binary with swiftc (`-sanitize=fuzzer,address`) and runs it.
import PackageDescription

let package = Package(
    name: "Fuzz",
    targets: [
        .target(name: "CatalogSQLCore"),
        .target(name: "FuzzParser", dependencies: ["CatalogSQLCore"]),
    ]
)

for target in package.targets {
    target.swiftSettings = [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
}
