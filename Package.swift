// swift-tools-version: 6.1
import PackageDescription

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilCore", targets: ["VigilCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Property-based tests of the alarm engine (VigilCoreTests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The staff's pages: HTTP, WebSocket, TLS, bcrypt'd PINs, HMAC-signed session cookies.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The room's log (the journal under systemd) and its /metrics, in Prometheus's text format.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The clinic station's archive past one clinic: PostgreSQL.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Latency percentiles in the benchmarks (VigilBenchmarks only).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Domain and decisions. No file, socket or sound I/O lives here.
        .target(
            name: "VigilCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Serial ports, device protocols and the device simulator.
        .target(name: "VigilDevices", dependencies: ["VigilCore", .product(name: "Yams", package: "Yams"), log, metrics]),
        // libmosquitto, as Debian ships it.
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // A small async Swift client over libmosquitto, the room's topics, and the outbox.
        .target(name: "VigilMQTT", dependencies: ["CMosquitto", "VigilCore", log, metrics]),
        // ALSA and libsndfile, as Debian ships them.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        // The patient's music: decoding, playlists with phase cues, fades, ALSA output; the staff chime.
        .target(name: "VigilAudio", dependencies: ["CALSA", "CSndFile", "VigilCore", log, metrics]),
        // Every reading, alarm and action in SQLite; summaries, review and export.
        .target(name: "VigilStore", dependencies: ["VigilCore", .product(name: "GRDB", package: "GRDB.swift"), log, metrics]),
        // The composition root: configuration and the room's wiring.
        .target(
            name: "VigilAgent",
            dependencies: [
                "VigilCore", "VigilDevices", "VigilStore", "VigilMQTT", "VigilAudio", .product(name: "Yams", package: "Yams"),
                log, metrics, .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The clinic's station: every room's state from the broker, its own alarms about rooms it
        // cannot see, commands to rooms, and every alarm event and summary kept once.
        .target(
            name: "VigilStation",
            dependencies: [
                "VigilCore", "VigilMQTT", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), log,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What the staff see: server-rendered HTML and SVG, and the pages' own CSS and JavaScript.
        // No server code here, so a page is tested as the function of its data it is.
        .target(name: "VigilPages", dependencies: ["VigilCore", "VigilStore"], resources: [.copy("Assets")]),
        // The nurse's, doula's and provider's pages and their JSON API, served by the agent.
        .target(
            name: "VigilWeb",
            dependencies: [
                "VigilCore", "VigilStore", "VigilAgent", "VigilAudio", "VigilPages", "VigilMQTT", "VigilStation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                log,
            ]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore", "VigilDevices", "VigilStore", "VigilMQTT", "VigilAudio", "VigilAgent", "VigilWeb", "VigilStation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), log,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            plugins: ["RevisionStamp"]
        ),
        // The checks the fuzzers drive (`make fuzz`), replayed over their seeds and regressions by
        // `swift test`; and the libFuzzer harness around them.
        .target(name: "VigilFuzzing", dependencies: ["VigilCore", "VigilDevices", "VigilAgent"]),
        .executableTarget(name: "VigilFuzz", dependencies: ["VigilFuzzing"]),
        // `vigil --version`'s git revision, written before each build.
        .plugin(name: "RevisionStamp", capability: .buildTool()),
        // Speed figures, never asserted in tests: `make bench`.
        .executableTarget(
            name: "VigilBenchmarks",
            dependencies: [
                "VigilCore", "VigilDevices", "VigilStore", "VigilMQTT", "VigilAudio", "VigilAgent", "VigilTestSupport", "VigilWeb",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Benchmarks/Sources/VigilBenchmarks"
        ),
        .testTarget(
            name: "VigilCoreTests",
            dependencies: ["VigilCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "VigilDevicesTests", dependencies: ["VigilDevices", "VigilCore"]),
        .testTarget(name: "VigilFuzzingTests", dependencies: ["VigilFuzzing", "VigilDevices"]),
        .testTarget(name: "VigilStoreTests", dependencies: ["VigilStore", "VigilCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // A real mosquitto and a throwaway CA for the tests.
        .target(name: "VigilTestSupport", dependencies: [log], path: "Tests/Support"),
        .testTarget(name: "VigilAudioTests", dependencies: ["VigilAudio", "VigilCore", "CSndFile", "VigilTestSupport", log]),
        .testTarget(
            name: "VigilMQTTTests",
            dependencies: ["VigilMQTT", "VigilCore", "VigilTestSupport", "VigilStation", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "VigilPagesTests", dependencies: ["VigilPages", "VigilCore", "VigilStore"]),
        .testTarget(
            name: "VigilWebTests",
            dependencies: [
                "VigilWeb", "VigilAgent", "VigilCore", "VigilStore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "VigilStationTests",
            dependencies: [
                "VigilStation", "VigilCore", "VigilMQTT", "VigilTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "VigilAgentTests",
            dependencies: [
                "VigilAgent", "VigilCore", "VigilDevices", "VigilStore", "VigilMQTT", "VigilTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), log, .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
