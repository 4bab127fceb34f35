import Foundation
import Testing
import VigilCore

/// Profiles that parse but would crash the room or disarm it are refused with their line.
@Suite("Alarm profile validation")
struct AlarmProfileValidationTests {
    /// The SpO2 watch every profile needs, so that each case below shows only its own problem.
    static let watch = """
        limits:
          - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, delay: 15s }
          - { vital: spo2, phases: [onset, peak, recovery], below: 85, priority: high, delay: 5s }

        """

    func problems(_ yaml: String) throws -> [String] {
        let error = try #require(throws: ConfigProblems.self) { try AlarmProfile.load(yaml: yaml, file: "p.yaml") }
        return error.problems.map(\.description)
    }

    @Test("Durations beyond a day, infinite or negative are refused with their line, never a crash", arguments: [
        ("audio_pause: 1e300", "p.yaml:1: audio_pause: \"1e300\" is longer than 24h, the most this setting takes"),
        ("audio_pause: inf", "p.yaml:1: audio_pause: \"inf\" is not a duration (e.g. 30s, 15m, 2h)"),
        ("confirm_window: 9999999999999999h", "p.yaml:1: confirm_window: \"9999999999999999h\" is longer than 24h, the most this setting takes"),
        ("confirm_window: -5", "p.yaml:1: confirm_window: \"-5\" is negative"),
        ("escalate_unacknowledged_after: nan", "p.yaml:1: escalate_unacknowledged_after: \"nan\" is not a duration (e.g. 30s, 15m, 2h)"),
        ("timeline: { discharge: 25h }", "p.yaml:1: timeline.discharge: \"25h\" is longer than 24h, the most this setting takes"),
        (watch + "  - { vital: spo2, phases: [baseline], below: 93, priority: medium, delay: 1e16 }",
         "p.yaml:4: limits[2].delay: \"1e16\" is longer than 24h, the most this setting takes"),
    ])
    func durations(yaml: String, expected: String) throws {
        #expect(try problems(yaml) == [expected])
    }

    @Test("A day is the longest duration, and ordinary ones still read")
    func longestDuration() throws {
        let profile = try AlarmProfile.load(yaml: "confirm_window: 24h\nescalate_unacknowledged_after: 1h30m", file: "p.yaml")
        #expect(profile.confirmWindow == .seconds(86_400))
        #expect(profile.escalateUnacknowledgedAfter == .seconds(5_400))
    }

    @Test("A YAML error at the end of a file without its last newline names the file's last line, not one past it (found by fuzzing)",
          arguments: ["hysteresis: 2\nlimits: [{vital: spo2", "hysteresis: 2\r\nlimits: [{vital: spo2"])
    func errorAtTheEnd(yaml: String) throws {
        let found = try problems(yaml)
        #expect(found.count == 1 && found.first?.hasPrefix("p.yaml:2: (yaml): ") == true, "\(found)")
    }

    @Test("An empty file says so rather than printing nothing", arguments: ["", "\n\n", "# the clinic's profile\n"])
    func empty(yaml: String) throws {
        #expect(try problems(yaml) == ["p.yaml:1: (file): is empty (nothing but blank lines or comments): nothing to check or run"])
    }

    @Test("Limits that disarm the room or never clear are refused at the rule's line", arguments: [
        // No limits at all: not one physiological alarm.
        ("limits: []", ["p.yaml:1: limits: no limits: the room would raise no physiological alarm at all (leave limits out to keep the defaults)"]),
        // Inverted tiers: the high tier is the less extreme one.
        ("""
         limits:
           - { vital: spo2, phases: [onset, peak, recovery], below: 85, priority: medium, delay: 15s }
           - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: high, delay: 5s }
         """,
         ["p.yaml:3: limits[1]: tiers of spo2_low in onset are inverted: high below 90 is less extreme than medium below 85 "
          + "(limits[0], line 2); the higher priority needs the more extreme limit"]),
        (watch + """
           - { vital: pulse_rate, phases: [onset, peak], above: 140, priority: medium, delay: 30s }
           - { vital: pulse_rate, phases: [peak], above: 120, priority: high, delay: 10s }
         """,
         ["p.yaml:5: limits[3]: tiers of pulse_rate_high in peak are inverted: high above 120 is less extreme than medium above 140 "
          + "(limits[2], line 4); the higher priority needs the more extreme limit"]),
        // Beyond what the sensor can report: true at every reading, or never.
        (watch + "  - { vital: spo2, phases: [baseline], below: 101, priority: medium, delay: 30s }",
         ["p.yaml:4: limits[2].below: spo2 below 101 is always true (a sensor reports 1…100): the alarm would sound at every reading"]),
        (watch + "  - { vital: systolic, phases: [peak], at_or_above: 20, priority: high }",
         ["p.yaml:4: limits[2].at_or_above: systolic at_or_above 20 is always true (a sensor reports 30…300): the alarm would sound at every reading"]),
        (watch + "  - { vital: spo2, phases: [discharge], below: 0, priority: low, delay: 30s }",
         ["p.yaml:4: limits[2].below: spo2 below 0 can never be true (a sensor reports 1…100): the limit would never sound"]),
        // A low and a high limit that between them cover every value of a phase.
        (watch + """
           - { vital: pulse_rate, phases: [onset, peak], below: 150, priority: medium, delay: 30s }
           - { vital: pulse_rate, phases: [peak], above: 40, priority: medium, delay: 30s }
         """,
         ["p.yaml:4: limits[2]: pulse_rate below 150 with above 140 (crisis, inherited) is always true in onset: every value breaches one of them",
          "p.yaml:5: limits[3]: pulse_rate above 40 with below 150 (limits[2], line 4) is always true in peak: every value breaches one of them"]),
        (watch + """
           - { vital: diastolic, phases: [baseline], at_or_below: 90, priority: medium, confirm: true }
           - { vital: diastolic, phases: [baseline], above: 90, priority: medium, confirm: true }
         """,
         ["p.yaml:5: limits[3]: diastolic above 90 with at_or_below 90 (limits[2], line 4) is always true in baseline: every value breaches one of them"]),
        // SpO2 unwatched after the dose.
        ("""
         limits:
           - { vital: spo2, phases: [baseline], below: 93, priority: medium, delay: 30s }
           - { vital: spo2, phases: [onset, recovery], below: 90, priority: medium, delay: 15s }
         """,
         ["p.yaml:2: limits: no spo2 low limit in peak: a desaturation after the dose would raise no alarm"]),
    ])
    func refused(yaml: String, expected: [String]) throws {
        #expect(try problems(yaml) == expected)
    }

    @Test("Tens of thousands of limits are refused with one line, quickly")
    func tooMany() throws {
        let rule = "  - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, delay: 15s }\n"
        let yaml = "limits:\n" + String(repeating: rule, count: 20_000)
        #expect(try problems(yaml) == ["p.yaml:502: limits[500]: 20010 limits and crisis tiers: a profile holds at most 500 "
                                       + "(the clinic's default has 36); nothing else was checked"])
    }

    @Test("Sound profiles pass: the default, tiers with one threshold, a low and a high limit with a gap")
    func accepted() throws {
        #expect(try AlarmProfile.load(yaml: "audio_pause: 90s", file: "p.yaml").rules == AlarmProfile.clinicDefault.rules)
        let profile = try AlarmProfile.load(yaml: Self.watch + """
              - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: high, delay: 60s }
              - { vital: pulse_rate, phases: [peak], below: 40, priority: medium, delay: 30s }
              - { vital: pulse_rate, phases: [peak], above: 40, priority: medium, delay: 30s }
              - { vital: systolic, phases: [discharge], below_baseline_percent: 20, priority: low }
              - { vital: systolic, phases: [discharge], above_baseline_percent: 20, priority: low }
            """, file: "p.yaml")
        #expect(profile.rules.count == 7)
    }

    @Test("A rule that fails to read is reported alone, not as a missing SpO2 limit too")
    func partialListNotJudged() throws {
        #expect(try problems("limits:\n  - { vital: spo2, phases: [peak], below: ninety, priority: high }")
                == ["p.yaml:2: limits[0].below: \"ninety\" is not a number"])
    }
}
