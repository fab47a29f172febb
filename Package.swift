// swift-tools-version: 6.1
import PackageDescription

// Data flows one way: files → Import → Store → Analysis → Reports → files.
// A module depends only on those before it; the CLI wires them together.
let package = Package(
    name: "reseller-impact",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "reseller-impact", targets: ["reseller-impact"]),
        // The stages as a library, for Benchmarks/ (its own package, depending on ../).
        .library(name: "ResellerImpactKit", targets: [
            "ImpactModel", "ImpactImport", "ImpactStore", "ImpactAnalysis", "ImpactReports", "ImpactSynthetic",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "ImpactModel"),
        // Synthetic exports for benchmarks and scale tests (`generate`); writes files only.
        .target(name: "ImpactSynthetic", dependencies: ["ImpactModel"]),
        .target(name: "ImpactImport", dependencies: ["ImpactModel", "CLibXML2"]),
        .target(name: "ImpactStore", dependencies: [
            "ImpactModel", "ImpactImport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ImpactAnalysis", dependencies: [
            "ImpactModel", "ImpactStore", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ImpactReports", dependencies: [
            "ImpactModel", "ImpactStore", "ImpactAnalysis",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ResellerImpactCLI", dependencies: [
            "ImpactModel", "ImpactImport", "ImpactStore", "ImpactAnalysis", "ImpactReports", "ImpactSynthetic",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Release builds link the Swift runtime and Foundation statically on Linux: no dynamic
        // symbol resolution at start (about 10 ms of a 60 ms `analyze` at 1M mailboxes; see
        // docs/PERFORMANCE.md). Debug builds, which the tests use, stay dynamic and link faster.
        .executableTarget(
            name: "reseller-impact",
            dependencies: ["ResellerImpactCLI"],
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),
        // Temporary folders, fixture files and imports shared by the test targets.
        .target(name: "TestSupport", dependencies: ["ImpactModel", "ImpactImport", "ImpactStore"], path: "Tests/TestSupport"),
        .testTarget(name: "ImpactImportTests", dependencies: ["ImpactImport", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ImpactStoreTests", dependencies: [
            "ImpactStore", "ImpactImport", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ImpactAnalysisTests", dependencies: ["ImpactAnalysis", "ImpactStore", "ImpactImport", "TestSupport"]),
        .testTarget(name: "ImpactReportsTests", dependencies: ["ImpactReports", "ImpactAnalysis", "ImpactStore", "ImpactImport", "TestSupport"]),
        .testTarget(name: "ImpactSyntheticTests", dependencies: ["ImpactSynthetic"]),
        .testTarget(name: "ResellerImpactCLITests", dependencies: ["ResellerImpactCLI", "reseller-impact", "TestSupport"]),
    ]
)
