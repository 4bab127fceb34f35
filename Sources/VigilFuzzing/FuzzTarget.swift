/// One input the fuzzers feed arbitrary bytes, and what must hold whatever the bytes are.
///
/// The same checks run in two places: under libFuzzer (`make fuzz`, the `VigilFuzz` harness
/// built with `-sanitize=fuzzer,address`), where a finding is a crash that libFuzzer keeps as a
/// file, and in `swift test` (`FuzzCorpusTests`), which replays every seed and every input once
/// found under `Fuzz/Regressions/<name>/` so that a fixed finding stays fixed.
public struct FuzzTarget: Sendable {
    /// The target's name: `VIGIL_FUZZ_TARGET=<name>`, and its folder under `Fuzz/Regressions/`.
    public let name: String
    /// Inputs libFuzzer starts from: valid frames, shipped files and fixtures.
    public let seeds: @Sendable () -> [[UInt8]]
    /// `nil` when every property held for `bytes`; otherwise what broke.
    public let check: @Sendable (_ bytes: [UInt8]) -> String?

    public init(name: String, seeds: @escaping @Sendable () -> [[UInt8]], check: @escaping @Sendable ([UInt8]) -> String?) {
        self.name = name
        self.seeds = seeds
        self.check = check
    }

    /// Every target, decoders first.
    public static let all: [FuzzTarget] = decoders + [jsonDeviceMapping, staffCommand, scenario, alarmProfile,
                                                      roomConfig, stationConfig, deviceProfile]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
