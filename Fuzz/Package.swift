// swift-tools-version: 6.1
// The parser's fuzzer. A nested package so the root build never compiles it.
//
// `CatalogSQLSyntax` is the root package's syntax target (keywords, lexer, parser, statements, redaction)
// through one symlink to its directory: the code that reads untrusted text and nothing else, which the root
// package does not export as a product of its own. `swift build` here type-checks the entry point; `./run.sh SECONDS` builds
// the libFuzzer binary with swiftc (`-sanitize=fuzzer,address`) and runs it.
import PackageDescription

let package = Package(
    name: "Fuzz",
    targets: [
        .target(name: "CatalogSQLSyntax"),
        .target(name: "FuzzParser", dependencies: ["CatalogSQLSyntax"]),
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
