// swift-tools-version: 6.1
// TraceLog's benchmarks, a package of their own so the main package never depends on benchmark tooling.
//
//   tracelog-compare        one process run: TraceLog next to SQLite (GRDB, WAL, five indexes) and the
//                           physical ceiling (LZ4, memcpy) on the same workload; prints a markdown table.
//                           Run through `bash tools/bench.sh` from the repository root.
//   tracelog-regression     the scale of `tracelog compare` / `history` (issue 15): 10,000 + 10,000 runs of
//                           10 nodes among unrelated traces, each step timed.
//   tracelog-forward-bench  forward's throughput next to ingest's, to a null OTLP sink and to a TraceLog receiver on
//                           loopback; prints a markdown table. `swift run -c release --package-path Benchmarks
//                           tracelog-forward-bench` (not part of CI).
//   StorageAllocations,     ordo-one/benchmark targets for CI: allocation counts per operation, the only
//   QueryAllocations        numbers stable on these noisy machines; thresholds in Thresholds/.
import PackageDescription

let package = Package(
    name: "TraceLogBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "TraceLog", path: "../"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4Bench",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .executableTarget(
            name: "tracelog-compare",
            dependencies: [
                "CLZ4Bench",
                .product(name: "TraceLogStorage", package: "TraceLog"),
                .product(name: "TraceLog", package: "TraceLog"),
                .product(name: "TraceLogIngest", package: "TraceLog"),
                .product(name: "TraceLogWorkload", package: "TraceLog"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "tracelog-regression",
            dependencies: [
                .product(name: "TraceLogStorage", package: "TraceLog"),
                .product(name: "TraceLog", package: "TraceLog"),
                .product(name: "TraceLogAnalysis", package: "TraceLog"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "tracelog-forward-bench",
            dependencies: [
                .product(name: "TraceLogStorage", package: "TraceLog"),
                .product(name: "TraceLog", package: "TraceLog"),
                .product(name: "TraceLogIngest", package: "TraceLog"),
                .product(name: "TraceLogWorkload", package: "TraceLog"),
                .product(name: "TraceLogOTLP", package: "TraceLog"),
                .product(name: "TraceLogForward", package: "TraceLog"),
                .product(name: "TraceLogServer", package: "TraceLog"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "StorageAllocations",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TraceLogStorage", package: "TraceLog"),
                .product(name: "TraceLogIngest", package: "TraceLog"),
                .product(name: "TraceLogWorkload", package: "TraceLog"),
                .product(name: "TraceLog", package: "TraceLog"),
            ],
            path: "Benchmarks/StorageAllocations",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "QueryAllocations",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TraceLogStorage", package: "TraceLog"),
                .product(name: "TraceLog", package: "TraceLog"),
                .product(name: "TraceLogIngest", package: "TraceLog"),
                .product(name: "TraceLogWorkload", package: "TraceLog"),
            ],
            path: "Benchmarks/QueryAllocations",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
