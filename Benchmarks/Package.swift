// swift-tools-version: 6.1
import PackageDescription

// The benchmarks of reseller-impact (issue #4), in their own package so that package-benchmark
// and its dependencies stay out of the product (STYLE.md). Run from this folder:
//
//     swift package --disable-sandbox benchmark
//
// Each target under Benchmarks/<Name>/<Name>.swift is one benchmark executable; the plugin
// builds them in release mode, runs them and prints the table. Thresholds/ holds the checked-in
// p90 thresholds (`swift package benchmark thresholds check`).
let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../"),
        // Only the malloc interposer trait: the default traits also enable the Swift 6.3 ARC
        // runtime interposer, a further dependency that the package mirror here does not hold.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: []
)

/// One benchmark executable per hot path; each sees the whole ResellerImpactKit.
for name in ["CSVParsing", "XMLParsing", "Import", "Analysis", "Reports"] {
    package.targets.append(
        .executableTarget(
            name: name,
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ResellerImpactKit", package: "main"),
                "BenchmarkData",
            ],
            path: "Benchmarks/\(name)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        )
    )
}

// Generated inputs shared by the benchmarks (synthetic exports, prepared databases), and
// their shared configuration.
package.targets.append(
    .target(
        name: "BenchmarkData",
        dependencies: [
            .product(name: "Benchmark", package: "package-benchmark"),
            .product(name: "ResellerImpactKit", package: "main"),
        ],
        path: "Sources/BenchmarkData"
    )
)
