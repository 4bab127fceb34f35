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
    ],
    targets: [
        // Domain and decisions. No file, socket or sound I/O lives here.
        .target(
            name: "VigilCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Serial ports, device protocols and the device simulator.
        .target(name: "VigilDevices", dependencies: ["VigilCore", .product(name: "Yams", package: "Yams")]),
        // The composition root: configuration and the room's wiring.
        .target(
            name: "VigilAgent",
            dependencies: ["VigilCore", "VigilDevices", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore", "VigilDevices", "VigilAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Speed figures, never asserted in tests: `make bench`.
        .executableTarget(name: "VigilBenchmarks", dependencies: ["VigilCore", "VigilDevices"], path: "Benchmarks/Sources/VigilBenchmarks"),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilDevicesTests", dependencies: ["VigilDevices", "VigilCore"]),
        .testTarget(name: "VigilAgentTests", dependencies: ["VigilAgent", "VigilCore", "VigilDevices"]),
    ],
    swiftLanguageModes: [.v6]
)
