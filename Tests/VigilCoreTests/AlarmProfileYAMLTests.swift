import Foundation
import Testing
import VigilCore

@Suite("Alarm profile in YAML")
struct AlarmProfileYAMLTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("The shipped default profile file equals the built-in clinic table")
    func shippedDefault() throws {
        let path = Self.root.appendingPathComponent("deploy/alarms.default.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let loaded = try AlarmProfile.load(yaml: text, file: path, base: Self.empty)
        #expect(loaded.rules == AlarmProfile.clinicDefault.rules)
        #expect(loaded == AlarmProfile.clinicDefault)
    }

    /// A profile that shares nothing with the default, so that a key the file forgot shows up.
    static let empty = AlarmProfile(
        timeline: PhaseTimeline(peakStarts: .seconds(1), recoveryStarts: .seconds(2), dischargeStarts: .seconds(3)),
        rules: [], hysteresis: [:], confirmWindow: .zero,
        technical: TechnicalLimits(noDataAfter: .zero, sensorOffAfter: .zero, sensorOffEscalatesAfter: .zero),
        nibp: NIBPPlan(intervals: [:], checkpoints: [], overdueFactor: 1), audioPause: .zero,
        escalateUnacknowledgedAfter: .zero)

    @Test("A partial profile changes only what it names")
    func partialOverride() throws {
        let profile = try AlarmProfile.load(yaml: """
            audio_pause: 90s
            nibp:
              intervals: { recovery: 20m }
            hysteresis: { spo2: 3 }
            """, file: "p.yaml")
        #expect(profile.audioPause == .seconds(90))
        #expect(profile.nibp.intervals[.recovery] == .seconds(1200))
        #expect(profile.nibp.intervals[.peak] == .seconds(600))
        #expect(profile.hysteresis[.spo2] == 3)
        #expect(profile.hysteresis[.pulseRate] == 5)
        #expect(profile.rules == AlarmProfile.clinicDefault.rules)
    }

    @Test("A stricter SpO2 limit from YAML changes what the engine does")
    func customLimitDrivesEngine() throws {
        let profile = try AlarmProfile.load(yaml: """
            limits:
              - { vital: spo2, phases: [baseline], below: 95, priority: high, delay: 2s }
              - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, delay: 15s }
            """, file: "p.yaml")
        var room = Room(profile: profile)
        try room.perform(.startSession(by: .doula, patientReference: nil))
        room.oximeter(spo2: 94, for: 3)
        #expect(room.events("spo2_low", .raised).first?.priority == .high)
        #expect(room.events("spo2_low", .raised).first?.limit == 95)
    }

    @Test("Every problem is reported with its line and key, not just the first")
    func problemsWithLines() throws {
        let text = """
            timeline:
              peak: 60m
              recovery: 55m
            limits:
              - { vital: spo3, phases: [peak], below: 90, priority: medium }
              - vital: systolic
                phases: [peak, lunch]
                above: 180
                priority: urgent
                delay: 30s
              - { vital: spo2, phases: [peak], below: 90, above: 100, priority: low }
            audio_pause: 5m
            hysteresis: { spo2: lots }
            colour: red
            """
        let error = try #require(throws: ConfigProblems.self) { try AlarmProfile.load(yaml: text, file: "clinic.yaml") }
        let lines = error.problems.map(\.description)
        #expect(lines.contains("clinic.yaml:2: timeline: phases must start in order after the dose: 0 < peak < recovery < discharge"))
        #expect(lines.contains { $0.hasPrefix("clinic.yaml:5: limits[0].vital: \"spo3\" is not one of") })
        #expect(lines.contains { $0.hasPrefix("clinic.yaml:7: limits[1].phases: \"lunch\" is not one of") })
        #expect(lines.contains { $0.hasPrefix("clinic.yaml:9: limits[1].priority: \"urgent\" is not one of") })
        #expect(lines.contains("clinic.yaml:10: limits[1].delay: systolic is measured intermittently; use confirm: true, not a delay"))
        #expect(lines.contains { $0.hasPrefix("clinic.yaml:11: limits[2]: give exactly one of") })
        #expect(lines.contains("clinic.yaml:12: audio_pause: must be more than 0 and at most 2m (IEC 60601-1-8)"))
        #expect(lines.contains("clinic.yaml:13: hysteresis.spo2: \"lots\" is not a number"))
        #expect(lines.contains { $0.hasPrefix("clinic.yaml:14: colour: unknown key") })
        #expect(lines.count == 9)
    }

    @Test("YAML that does not parse names its line")
    func syntaxError() throws {
        let error = try #require(throws: ConfigProblems.self) {
            try AlarmProfile.load(yaml: "timeline:\n  peak: [15m\naudio_pause: 2m\n", file: "bad.yaml")
        }
        #expect(error.problems.count == 1)
        #expect(error.problems[0].description.hasPrefix("bad.yaml:"))
        #expect(error.problems[0].line >= 2)
    }

    @Test("Durations read as a person writes them", arguments: [
        ("90", 90.0), ("90s", 90), ("15m", 900), ("2h", 7200), ("1h30m", 5400), ("1.5m", 90), ("2min", 120),
    ])
    func durations(text: String, seconds: Double) throws {
        let profile = try AlarmProfile.load(yaml: "confirm_window: \(text)", file: "d.yaml")
        #expect(profile.confirmWindow.seconds == seconds)
    }
}
