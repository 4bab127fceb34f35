import Foundation
import Testing
import VigilDevices
@testable import VigilFuzzing

/// The fuzzers' checks, run over every target's seeds and over every input a fuzzer once found
/// (`Fuzz/Regressions/<target>/`), so that a fixed finding stays fixed without libFuzzer.
@Suite("Fuzzing: seeds and regressions")
struct FuzzCorpusTests {
    static let regressions = FuzzTarget.checkout.appendingPathComponent("Fuzz/Regressions")

    @Test("Every seed of every target holds, and each target has seeds", arguments: FuzzTarget.all.map(\.name))
    func seedsHold(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let seeds = target.seeds()
        #expect(!seeds.isEmpty, "libFuzzer would start from nothing")
        for (n, seed) in seeds.enumerated() {
            #expect(target.check(seed) == nil, "seed \(n)")
        }
    }

    @Test("A decoder's seeds are what its device sends: each gives readings", arguments: FuzzTarget.decoders.map(\.name))
    func decoderSeedsDecode(name: String) throws {
        let deviceProtocol = try #require(FuzzTarget.decoders.firstIndex { $0.name == name }.map { DeviceProtocol.allCases[$0] })
        for seed in FuzzTarget.seeds(deviceProtocol) {
            var decoder = deviceProtocol.makeDecoder()
            #expect(!(decoder.decode(seed) + decoder.finish()).isEmpty, "\(seed.prefix(12))")
        }
    }

    @Test("Every input a fuzzer found still holds, and each folder is a target's")
    func regressionsHold() throws {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: Self.regressions.path)) ?? []
        for folder in folders where !folder.hasPrefix(".") && folder != "README.md" {
            let target = try #require(FuzzTarget.named(folder), "Fuzz/Regressions/\(folder) names no target")
            let files = try FileManager.default.contentsOfDirectory(atPath: Self.regressions.appendingPathComponent(folder).path)
            for file in files {
                let bytes = try [UInt8](Data(contentsOf: Self.regressions.appendingPathComponent("\(folder)/\(file)")))
                #expect(target.check(bytes) == nil, "Fuzz/Regressions/\(folder)/\(file)")
            }
        }
    }

    @Test("The checks catch what they are for: a raw parser error is a finding; a refusal at its line is not")
    func checksCanFail() {
        struct Raw: Error {}
        #expect(FuzzTarget.yaml("raw", seeds: []) { _, _ in throw Raw() }.check([]) != nil)
        #expect(FuzzTarget.roomConfig.check(Array("site: north\nroom: 2\nunknown: 1\n".utf8)) == nil, "a refusal at its line holds")
        #expect(FuzzTarget.scenario.check(Array("0,spo2\n".utf8)) == nil)
        #expect(FuzzTarget.decoders.allSatisfy { $0.check([]) == nil })
    }
}
