import Foundation
import Testing
import VigilStore

/// `vigil replay --session` and `--sessions` on what a real room recorded: a `vigil demo` run on
/// simulated devices, its oximeter unplugged and later silent, replayed from its database.
extension CommandLineTests {
    /// Thirteen minutes of session: the dose at 2:00, the oximeter's cable out from 5:00 to 6:00,
    /// the oximeter connected but silent from 10:00 until a value comes at 11:00, the end at 13:00.
    /// (At 60× the room takes up to 4 s of real time, four minutes of session, to reopen a port.)
    static func writeUnpluggedSession(in dir: URL) throws -> URL {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let scenario = dir.appendingPathComponent("unplugged.csv")
        try """
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            0,systolic,124
            0,diastolic,80
            120,dose,doula
            300,unplug,oximeter
            360,replug,oximeter
            600,silent,oximeter
            660,spo2,97
            780,session.end,doula
            """.write(to: scenario, atomically: true, encoding: .utf8)
        return scenario
    }

    /// Seconds of a `+m:ss` (or `-m:ss`) cell.
    static func seconds(_ cell: Substring) -> Int? {
        let text = cell.trimmingCharacters(in: .whitespaces)
        let sign = text.hasPrefix("-") ? -1 : 1
        let parts = text.dropFirst().split(separator: ":").compactMap { Int($0) }
        return parts.count == 2 ? sign * (parts[0] * 60 + parts[1]) : nil
    }

    @Test("A session a demo room recorded with its oximeter unplugged and then silent replays from the store with the store's own gaps: device_disconnected and no_data, as the room raised them, side by side")
    func replayRecordedDemoSession() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = try Self.writeUnpluggedSession(in: dir)
        let db = dir.appendingPathComponent("vigil.sqlite").path
        let demo = try await VigilCommand.run(["demo", "--speed", "20", "--scenario", scenario.path, "--db", db,
                                               "--devices", dir.appendingPathComponent("dev").path, "--no-music", "--http", "off",
                                               "--socket", dir.appendingPathComponent("ctl.sock").path],
                                              timeout: 120)
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        // What the room raised for the unplugged oximeter, and for its silence.
        #expect(demo.stdout.contains("raised MEDIUM device_disconnected device oximeter"), "\(demo.stdout)")
        #expect(demo.stdout.contains("raised MEDIUM no_data device oximeter"), "\(demo.stdout)")
        let sessions = try await VigilCommand.run(["sessions", "--db", db])
        let id = try #require(sessions.lines.first?.split(separator: " ").first.map(String.init))

        let replay = try await VigilCommand.run(["replay", "--session", id, "--db", db])
        #expect(replay.status == 0, "\(replay.stderr)")
        let lines = replay.lines
        #expect(lines.first?.hasPrefix("session \(id), started ") == true, "\(replay.stdout)")
        #expect(lines.contains("times from the dose (+min:s; -min:s before it); a priority a→b rose while unacknowledged"))
        #expect(lines.contains { $0.hasPrefix("condition") && $0.contains("│ priority  raised  cleared │") }, "\(replay.stdout)")
        for (condition, from, to) in [("device_disconnected", 180, 190), ("no_data", 480, 500)] {
            let row = try #require(lines.first { $0.hasPrefix(condition) }, "\(condition) in\n\(replay.stdout)")
            let parts = row.split(separator: "│")
            #expect(parts.count == 4, "\(row)")
            #expect(parts.last?.trimmingCharacters(in: .whitespaces).hasPrefix("matched") == true, "\(row)")
            let recorded = parts[1].split(separator: " "), replayed = parts[2].split(separator: " ")
            #expect(recorded.first == "medium" && replayed.first == "medium", "\(row)")
            let raised = try #require(Self.seconds(recorded[1])), again = try #require(Self.seconds(replayed[1]))
            #expect((from...to).contains(raised), "raised at \(raised) s after the dose: \(row)")
            #expect(abs(raised - again) <= 7, "within one of the sped-up room's ticks: \(row)")
        }
        #expect(lines.contains("2 alarms recorded, 2 replayed: 2 matched, 0 only recorded, 0 only replayed"), "\(replay.stdout)")

        // The same replay as JSON lines: the replay's own alarm events, with its own ids.
        let json = try await VigilCommand.run(["replay", "--session", id, "--db", db, "--json"])
        let objects = try json.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { "\($0["condition"]!) \($0["state"]!)" }
            == ["device_disconnected raised", "device_disconnected cleared", "no_data raised", "no_data cleared"])
        #expect(objects.allSatisfy { ($0["id"] as? String)?.hasPrefix("R") == true })

        // A proposed profile that wants SpO2 at 99 % after the dose raises what the room never did.
        let strict = dir.appendingPathComponent("strict.yaml")
        try """
            limits:
              - { vital: spo2, phases: [onset, peak, recovery], below: 99, priority: medium, delay: 15s }
            """.write(to: strict, atomically: true, encoding: .utf8)
        let proposed = try await VigilCommand.run(["replay", "--session", id, "--db", db, "--profile", strict.path])
        #expect(proposed.status == 0, "\(proposed.stderr)")
        let spo2 = try #require(proposed.lines.first { $0.hasPrefix("spo2_low") }, "\(proposed.stdout)")
        #expect(spo2.hasSuffix("only replayed"), "\(spo2)")
        #expect(spo2.split(separator: "│")[1].trimmingCharacters(in: .whitespaces) == "-", "\(spo2)")

        let many = try await VigilCommand.run(["replay", "--sessions", "--since", "30d", "--db", db, "--profile", strict.path])
        #expect(many.status == 0, "\(many.stderr)")
        #expect(many.lines.first?.hasPrefix("1 finished session since ") == true, "\(many.stdout)")
        #expect(many.lines.contains("| condition | priority | recorded (the room) | per session-hour | \(strict.path) | per session-hour |"),
                "\(many.stdout)")
        let noData = try #require(many.lines.first { $0.hasPrefix("| no_data | medium |") }, "\(many.stdout)")
            .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(noData.count == 6 && noData[2] == "1" && noData[4] == "1" && noData[3] == noData[5],
                "the room's no_data and the replay's, at the same rate: \(noData)")
        #expect(many.lines.contains { $0.hasPrefix("| spo2_low | ") && $0.contains(" | 0 | 0.00 | ") }, "\(many.stdout)")
    }

    @Test("vigil replay says what is wrong: an unknown session, no form chosen, two forms, a bad --since, an unreadable hold line")
    func replayRefusals() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("vigil.sqlite").path
        _ = try Store(path: db)  // an empty database
        let unknown = try await VigilCommand.run(["replay", "--session", "S-nope", "--db", db])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "vigil replay: no session S-nope in this database (vigil sessions lists them)\n")
        let none = try await VigilCommand.run(["replay"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("give one of: a scenario file, --session ID, --sessions --since 30d, or --score LABELS"), "\(none.stderr)")
        let two = try await VigilCommand.run(["replay", "x.csv", "--session", "S-1"])
        #expect(two.stderr.contains("give one of"), "\(two.stderr)")
        let since = try await VigilCommand.run(["replay", "--sessions", "--since", "30x", "--db", db])
        #expect(since.status == 1)
        #expect(since.stderr == "vigil replay: --since \"30x\": takes a number and d, w or h, e.g. 30d\n")
        let hold = try await VigilCommand.run(["replay", "-"], stdin: "#hold: sometimes\n0,session.start,\n")
        #expect(hold.status == 1)
        #expect(hold.stderr.hasPrefix("vigil replay: -:1: #hold: \"sometimes\" is neither until-next"), "\(hold.stderr)")
    }
}

extension CommandLineTests {
    @Test("vigil replay --score scores a labelled library as vigil score does")
    func replayScore() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-score-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // One short labelled session: a 40 s desaturation the default profile catches.
        try """
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,72
            60,systolic,125
            60,diastolic,80
            120,dose,doula
            1500,spo2,86
            1540,spo2,97
            1800,session.end,doula
            """.write(to: dir.appendingPathComponent("one.csv"), atomically: true, encoding: .utf8)
        try #"{"sessions":[{"scenario":"one.csv","events":[{"kind":"desaturation","vital":"spo2","start":1500,"end":1540}]}]}"#
            .write(to: dir.appendingPathComponent("labels.json"), atomically: true, encoding: .utf8)
        let viaReplay = try await VigilCommand.run(["replay", "--score", dir.path])
        let viaScore = try await VigilCommand.run(["score", dir.path])
        #expect(viaReplay.status == 0, "\(viaReplay.stderr)")
        #expect(viaReplay.stdout == viaScore.stdout)
        #expect(viaReplay.stdout.contains("| built-in default |"), "\(viaReplay.stdout)")
    }
}
