import Foundation
import Testing
import VigilCore

/// Each scenario in `Tests/Fixtures/scenarios` replays to exactly the alarm events in its
/// `.expected.jsonl`. The expected lines were checked by hand against `shared/clinical.md`;
/// a change to the engine that changes them must say why in its commit.
@Suite("Scenario fixtures")
struct ScenarioFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scenarios")

    static var scenarios: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test("The fixtures cover the stories the clinic asked for")
    func coverage() {
        let required = ["uneventful.csv", "hypertensive-peak.csv", "desaturation-peak.csv",
                        "finger-out-artifacts.csv", "probe-unplugged.csv", "missed-bp-checks.csv"]
        #expect(Set(required).isSubset(of: Set(Self.scenarios)))
    }

    @Test("Replaying a fixture gives exactly its expected alarm events", arguments: scenarios)
    func replay(name: String) throws {
        let csv = Self.folder.appendingPathComponent(name)
        let expectedURL = csv.deletingPathExtension().appendingPathExtension("expected.jsonl")
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let scenario = try Scenario.parse(try String(contentsOf: csv, encoding: .utf8), file: name)
        var replay = ScenarioReplay(scenario: scenario, profile: .clinicDefault, file: name)
        let actual = try replay.run().compactMap { event -> String? in
            if case .alarm(let alarm) = event { alarm.jsonLine.description } else { nil }
        }
        #expect(actual.count == expected.count)
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            #expect(a == e, "line \(i + 1) of \(expectedURL.lastPathComponent)")
        }
    }

    @Test("A two-hour scenario replays to the same events every time")
    func deterministic() throws {
        let csv = Self.folder.appendingPathComponent("hypertensive-peak.csv")
        let scenario = try Scenario.parse(try String(contentsOf: csv, encoding: .utf8))
        var first = ScenarioReplay(scenario: scenario, profile: .clinicDefault)
        var second = ScenarioReplay(scenario: scenario, profile: .clinicDefault)
        #expect(try first.run() == second.run())
    }
}
