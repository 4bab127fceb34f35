import Foundation
import Testing

/// `vigil check-config` on configs that once crashed the binary (exit 132) or passed as valid
/// while disarming the room: each exits 1 with `FILE:LINE: key: problem`.
extension CommandLineTests {
    static let room = "site: north-clinic\nroom: room-2\n"
    static let watch = """
          - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, delay: 15s }
          - { vital: spo2, phases: [onset, peak, recovery], below: 85, priority: high, delay: 5s }

        """

    /// Each file, whether it is an alarm profile (`--profile`), and the lines it must print (after `FILE:`).
    static let refusedFiles: [(name: String, profile: Bool, text: String, problem: String)] = [
        ("huge.yaml", false, room + "alarms: { audio_pause: 1e300 }\n",
         "3: alarms.audio_pause: \"1e300\" is longer than 24h, the most this setting takes"),
        ("infinite.yaml", false, room + "alarms: { audio_pause: inf }\n",
         "3: alarms.audio_pause: \"inf\" is not a duration (e.g. 30s, 15m, 2h)"),
        ("hours.yaml", false, room + "alarms: { audio_pause: 9999999999999999h }\n",
         "3: alarms.audio_pause: \"9999999999999999h\" is longer than 24h, the most this setting takes"),
        ("delay.yaml", false, room + "alarms:\n  limits:\n" + watch
            + "  - { vital: spo2, phases: [baseline], below: 93, priority: medium, delay: 1e16 }\n",
         "7: alarms.limits[2].delay: \"1e16\" is longer than 24h, the most this setting takes"),
        ("empty.yaml", false, "", "1: (file): is empty (nothing but blank lines or comments): nothing to check or run"),
        ("empty-profile.yaml", true, "# limits to come\n", "1: (file): is empty (nothing but blank lines or comments): nothing to check or run"),
        ("no-limits.yaml", false, room + "alarms:\n  limits: []\n",
         "4: alarms.limits: no limits: the room would raise no physiological alarm at all (leave limits out to keep the defaults)"),
        ("inverted.yaml", true, """
            limits:
              - { vital: spo2, phases: [onset, peak, recovery], below: 85, priority: medium, delay: 15s }
              - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: high, delay: 5s }
            """,
         "3: limits[1]: tiers of spo2_low in onset are inverted: high below 90 is less extreme than medium below 85 "
            + "(limits[0], line 2); the higher priority needs the more extreme limit"),
        ("always.yaml", true, "limits:\n" + watch + "  - { vital: spo2, phases: [baseline], below: 101, priority: medium, delay: 30s }\n",
         "4: limits[2].below: spo2 below 101 is always true (a sensor reports 1…100): the alarm would sound at every reading"),
        ("every-pulse.yaml", true, "limits:\n" + watch + """
              - { vital: pulse_rate, phases: [peak], below: 150, priority: medium, delay: 30s }
              - { vital: pulse_rate, phases: [peak], above: 40, priority: medium, delay: 30s }
            """,
         "4: limits[2]: pulse_rate below 150 with above 140 (crisis, inherited) is always true in peak: every value breaches one of them\n"
            + "5: limits[3]: pulse_rate above 40 with below 150 (limits[2], line 4) is always true in peak: every value breaches one of them"),
        ("no-spo2.yaml", true, "limits:\n  - { vital: pulse_rate, phases: [onset, peak], below: 40, priority: high, delay: 10s }\n"
            + "  - { vital: spo2, phases: [onset, peak], below: 90, priority: medium, delay: 15s }\n",
         "2: limits: no spo2 low limit in recovery: a desaturation after the dose would raise no alarm"),
        ("thousands.yaml", true, "limits:\n" + String(repeating: "  - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, delay: 15s }\n", count: 20_000),
         "502: limits[500]: 20010 limits and crisis tiers: a profile holds at most 500 (the clinic's default has 36); nothing else was checked"),
    ]

    @Test("vigil check-config refuses configs that would crash or disarm the room, with FILE:LINE, and never crashes")
    func checkConfigRefusesDisarmingConfigs() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in Self.refusedFiles {
            let path = dir.appendingPathComponent(file.name).path
            try file.text.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try await VigilCommand.run(["check-config"] + (file.profile ? ["--profile"] : []) + [path])
            #expect(result.status == 1, "\(file.name): exit \(result.status)\n\(result.stderr.prefix(300))")
            #expect(result.stderr == file.problem.split(separator: "\n").map { "\(path):\($0)\n" }.joined(), "\(file.name)")
            #expect(result.stdout.isEmpty, "\(file.name)")
        }
    }
}
