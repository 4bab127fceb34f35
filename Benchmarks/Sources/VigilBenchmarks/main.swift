import Foundation
import VigilCore

/// Prints how long the pure core takes on the work a room does: replaying two-hour sessions
/// (each about 15,000 readings through the alarm engine). Figures go in Benchmarks/README.md.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/scenarios")

func measure(_ name: String, repetitions: Int, _ body: () throws -> Int) rethrows {
    var best = Duration.seconds(1_000_000)
    var count = 0
    for _ in 0..<repetitions {
        let start = ContinuousClock.now
        count = try body()
        best = min(best, ContinuousClock.now - start)
    }
    let ms = best.seconds * 1000
    print("\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) best of \(repetitions): "
          + String(format: "%8.2f ms", ms) + "  (\(count) events)")
}

for name in ["uneventful", "hypertensive-peak", "desaturation-peak", "probe-unplugged"] {
    let text = try String(contentsOf: fixtures.appendingPathComponent("\(name).csv"), encoding: .utf8)
    let scenario = try Scenario.parse(text, file: name)
    try measure("replay \(name) (2 h of session)", repetitions: 10) {
        var replay = ScenarioReplay(scenario: scenario, profile: .clinicDefault)
        return try replay.run().count
    }
}
