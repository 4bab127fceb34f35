// swift-tools-version: 6.1
import PackageDescription

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
    ],
    targets: [
        // Domain and decisions. No file, socket or sound I/O lives here.
        .target(
            name: "VigilCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Serial ports, device protocols and the device simulator.
        .target(name: "VigilDevices", dependencies: ["VigilCore", .product(name: "Yams", package: "Yams")]),
        // Every reading, alarm and action in SQLite; summaries, review and export.
        .target(name: "VigilStore", dependencies: ["VigilCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // The composition root: configuration and the room's wiring.
        .target(
            name: "VigilAgent",
            dependencies: ["VigilCore", "VigilDevices", "VigilStore", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore", "VigilDevices", "VigilStore", "VigilAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Speed figures, never asserted in tests: `make bench`.
        .executableTarget(name: "VigilBenchmarks", dependencies: ["VigilCore", "VigilDevices", "VigilStore"], path: "Benchmarks/Sources/VigilBenchmarks"),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilDevicesTests", dependencies: ["VigilDevices", "VigilCore"]),
        .testTarget(name: "VigilStoreTests", dependencies: ["VigilStore", "VigilCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "VigilAgentTests", dependencies: ["VigilAgent", "VigilCore", "VigilDevices", "VigilStore", .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
