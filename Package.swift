// swift-tools-version: 6.1
// TraceLog: a segmented, LZ4-compressed, append-only trace log for workflow and automation engines.
//
// Dependency direction (one way only):
//   CLZ4, CCRC32C (C) → TraceLogStorage (log core) → TraceLog (indexes, projections)
//   → TraceLogIngest (parsers, importers), TraceLogAnalysis (regression statistics) → TraceLogCLI → `tracelog` (thin executable)
// TraceLogWorkload (the deterministic workload generator) depends on nothing and feeds tests and benchmarks.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "TraceLog",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TraceLogStorage", targets: ["TraceLogStorage"]),
        .library(name: "TraceLog", targets: ["TraceLog"]),
        .library(name: "TraceLogIngest", targets: ["TraceLogIngest"]),
        .library(name: "TraceLogAnalysis", targets: ["TraceLogAnalysis"]),
        .library(name: "TraceLogServer", targets: ["TraceLogServer"]),
        .library(name: "TraceLogOTLP", targets: ["TraceLogOTLP"]),
        .library(name: "TraceLogForward", targets: ["TraceLogForward"]),
        .library(name: "TraceLogTracing", targets: ["TraceLogTracing"]),
        .library(name: "TraceLogWorkload", targets: ["TraceLogWorkload"]),
        .executable(name: "tracelog", targets: ["tracelog"]),
        .executable(name: "tracelog-workload", targets: ["tracelog-workload"]),
        .executable(name: "tracelog-fuzz", targets: ["tracelog-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.25.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .target(name: "CCRC32C"),
        .target(name: "CPlatform"),
        .target(
            name: "TraceLogStorage",
            dependencies: ["CLZ4", "CCRC32C", "CPlatform"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TraceLog",
            dependencies: ["TraceLogStorage", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TraceLogIngest",
            dependencies: ["TraceLog", "TraceLogStorage"],
            swiftSettings: strictSettings
        ),
        // Regression analysis over sets of runs (`tracelog compare` / `history`): the statistics, run-set
        // selection, per-node aggregation and the JSON / markdown / HTML reports.
        .target(
            name: "TraceLogAnalysis",
            dependencies: ["TraceLog", "TraceLogStorage", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: strictSettings
        ),
        .target(name: "TraceLogWorkload", swiftSettings: strictSettings),
        // OpenTelemetry: the OTLP protobuf subset (generated once by tools/otlp/generate.sh and committed), OTLP/JSON,
        // the span <-> record mapping, the receiver's rules and the exporter.
        .target(
            name: "TraceLogOTLP",
            dependencies: [
                "TraceLog", "TraceLogStorage", "TraceLogIngest",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Proto/Definitions"],
            swiftSettings: strictSettings
        ),
        // `tracelog forward`: batches, the cursor, retries, and the HTTP client.
        .target(
            name: "TraceLogForward",
            dependencies: [
                "TraceLog", "TraceLogStorage", "TraceLogOTLP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // A swift-distributed-tracing Tracer that records a program's spans into its local log.
        .target(
            name: "TraceLogTracing",
            dependencies: [
                "TraceLog", "TraceLogStorage", "TraceLogOTLP",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TraceLogServer",
            dependencies: [
                "TraceLog", "TraceLogStorage", "TraceLogIngest", "TraceLogAnalysis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                "TraceLogOTLP",
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            resources: [.copy("Viewer")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TraceLogCLI",
            dependencies: [
                "TraceLog", "TraceLogStorage", "TraceLogIngest", "TraceLogServer", "TraceLogAnalysis",
                "TraceLogOTLP", "TraceLogForward",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The process links mimalloc (Debian's libmimalloc-dev), which replaces glibc's malloc for the whole
        // process: ingest allocates each event's strings on the parse thread and frees them on the write thread,
        // and glibc's cross-thread frees cost a third of the CPU of `tracelog ingest` (BENCHMARKS.md, session 8).
        // The libraries link no allocator: an embedder keeps its own.
        .executableTarget(
            name: "tracelog", dependencies: ["TraceLogCLI"], swiftSettings: strictSettings,
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        .executableTarget(
            name: "tracelog-workload",
            dependencies: [
                "TraceLogWorkload",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "tools/workload",
            swiftSettings: strictSettings
        ),
        // The TraceLogTracing test app: nested spans, an error, a traceparent hop (run by TraceLogTracingTests).
        .executableTarget(
            name: "tracelog-tracing-example",
            dependencies: [
                "TraceLog", "TraceLogTracing",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "tools/tracing-example",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "tracelog-crashtest",
            dependencies: ["TraceLogStorage"],
            path: "tools/crashtest",
            swiftSettings: strictSettings
        ),
        // Fuzz targets of the decoders (tools/fuzz.sh): a library the tests replay the corpus with, and an
        // executable that replays too, or runs libFuzzer when built with -sanitize=fuzzer -DTRACELOG_FUZZING.
        .target(name: "CLibFuzzer", path: "tools/fuzz/CLibFuzzer"),
        .target(
            name: "TraceLogFuzz",
            dependencies: [
                "TraceLogStorage", "TraceLogIngest", "TraceLogWorkload", "TraceLogOTLP", "CLZ4", "CCRC32C",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "tools/fuzz/Targets",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "tracelog-fuzz",
            dependencies: ["TraceLogFuzz", "CLibFuzzer"],
            path: "tools/fuzz/Driver",
            swiftSettings: strictSettings
        ),
        // What several test targets share: running child processes and blocking waits off the cooperative pool.
        .target(name: "TraceLogTestSupport", path: "Tests/TraceLogTestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "TraceLogStorageTests",
            dependencies: ["TraceLogStorage", "TraceLogTestSupport"],
            resources: [.copy("Golden/Files")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TraceLogTests",
            dependencies: ["TraceLog", "TraceLogTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "TraceLogCLITests", dependencies: ["TraceLogTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "TraceLogServerTests",
            dependencies: [
                "TraceLogServer", "TraceLogIngest", "TraceLogOTLP", "TraceLogTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TraceLogIngestTests",
            dependencies: ["TraceLogIngest", "TraceLog"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TraceLogAnalysisTests",
            dependencies: ["TraceLogAnalysis", "TraceLog", "TraceLogIngest"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TraceLogOTLPTests",
            dependencies: [
                "TraceLogOTLP", "TraceLog", "TraceLogIngest", "TraceLogTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TraceLogForwardTests",
            dependencies: [
                "TraceLogForward", "TraceLogOTLP", "TraceLog", "TraceLogIngest", "TraceLogServer",
                "TraceLogTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TraceLogTracingTests",
            dependencies: [
                "TraceLogTracing", "TraceLogOTLP", "TraceLog", "TraceLogTestSupport",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "TraceLogFuzzTests", dependencies: ["TraceLogFuzz"], swiftSettings: strictSettings),
        .testTarget(
            name: "TraceLogWorkloadTests",
            dependencies: ["TraceLogWorkload", "TraceLogIngest"],
            swiftSettings: strictSettings
        ),
    ]
)
