import Foundation
import GRDB
import Testing

/// The real `vigil demo`, killed with SIGKILL while a high alarm is latched and nobody has
/// acknowledged it. A restart must not erase it: the nurse still has to see it and answer it.
///
/// Before the restart kept alarms (90de60f), `resumeUnfinishedSession()` wrote and printed a
/// `cleared` event for every open alarm ("agent restarted; raised again if the condition
/// persists") and raised again only what the baseline readings still showed: a desaturation
/// that had passed, or a BP taken after the dose, came back as nothing at all.
@Suite("A restart keeps latched alarms", .serialized)
struct LatchedAlarmRestartTests {
    static let speed = 40.0

    @Test("A desaturation to 80 % latches a high spo2_low; killed after SpO2 is back to 97, the restarted room still shows it, unacknowledged, until a nurse acknowledges it")
    func desaturationSurvivesSIGKILL() async throws {
        let room = try KilledRoom(scenario: """
            0,session.start,doula
            0,spo2,97
            0,pulse_rate,72
            0,systolic,125
            0,diastolic,80
            60,dose,doula
            600,spo2,80
            640,spo2,97
            3000,session.end,doula
            """)
        defer { room.remove() }
        let first = try room.start()
        defer { room.stop(first) }
        let id = try await room.waitForHighAlarm("spo2_low", in: first, within: 600 / Self.speed + 30)
        // Latched: SpO2 is back above the limit, and the alarm waits for a person.
        #expect(await room.waitForStatus(within: 20) { $0.alarm(id)?["condition_present"] as? Bool == false },
                "SpO2 went back to 97 but the alarm never showed its condition passed: \(first.text)")
        let second = try await room.killAndRestart(first)
        defer { room.stop(second) }
        try await room.expectStillOpen(id, "spo2_low", after: second)

        let status = try #require(await room.status())
        #expect(status.activeAlarms == 1 && status.alarms.count == 1, "one alarm open after the restart: \(status.json)")

        // A doula may not answer an alarm; a nurse's acknowledgement closes it, since SpO2 is normal again.
        #expect(await room.waitForStatus(within: 20) { $0.alarm(id)?["condition_present"] as? Bool == false },
                "the restarted room never saw SpO2 back at 97: \(second.text)")
        let refused = try await room.vigil("session", "ack", id, "--role", "doula")
        #expect(refused.status == 1 && refused.stdout.contains("a doula may not respond to alarms"), "\(refused.stdout)\(refused.stderr)")
        let ack = try await room.vigil("session", "ack", id, "--role", "nurse")
        #expect(ack.status == 0, "\(ack.stdout)\(ack.stderr)")
        #expect(await second.wait(for: "\(id) cleared HIGH spo2_low"), "the nurse's acknowledgement did not close it: \(second.text)")
        #expect(second.text.contains("\(id) acknowledged HIGH spo2_low value 97 limit 85 by nurse"), "\(second.text)")
        #expect(await room.waitForStatus(within: 10) { $0.activeAlarms == 0 }, "the room is quiet after the acknowledgement")
        let states = try await room.states(of: id)
        #expect(states == ["raised high -", "acknowledged high nurse", "cleared high nurse"], "the log: \(states)")
    }

    @Test("One BP of 205/90 after the dose latches a high systolic_high; killed at once, the restarted room keeps it, the nurse acknowledges it, and the next normal BP closes it")
    func hypertensiveCrisisSurvivesSIGKILL() async throws {
        let room = try KilledRoom(scenario: """
            0,session.start,doula
            0,spo2,97
            0,pulse_rate,72
            0,systolic,125
            0,diastolic,80
            60,dose,doula
            61,systolic,205
            61,diastolic,90
            400,systolic,125
            400,diastolic,80
            3000,session.end,doula
            """)
        defer { room.remove() }
        let first = try room.start()
        defer { room.stop(first) }
        // The first check after the dose is due at +5 min and measured from 30 s before.
        let id = try await room.waitForHighAlarm("systolic_high", in: first, within: 400 / Self.speed + 30)
        let second = try await room.killAndRestart(first)
        defer { room.stop(second) }
        try await room.expectStillOpen(id, "systolic_high", after: second)

        let status = try #require(await room.status())
        #expect(status.activeAlarms == status.alarms.count && status.activeAlarms >= 1, "\(status.json)")
        #expect(status.alarm(id)?["condition_present"] as? Bool == true, "the last BP was 205: \(status.json)")

        #expect(await second.wait(for: "VITALS"), "\(second.text)")
        #expect(!second.text.contains("pre-dose onset"), "after the restart the lines still count from the dose: \(second.text)")

        let ack = try await room.vigil("session", "ack", id, "--role", "nurse")
        #expect(ack.status == 0, "\(ack.stdout)\(ack.stderr)")
        #expect(await second.wait(for: "\(id) acknowledged HIGH systolic_high value 205 limit 200 by nurse"), "\(second.text)")
        // The next check (+10 min, measured from +9:30) reads 125/80: acknowledged and passed, it clears.
        #expect(await second.wait(for: "\(id) cleared HIGH systolic_high", seconds: 600 / Self.speed + 30),
                "the normal BP did not close the acknowledged alarm: \(second.text)")
        let states = try await room.states(of: id)
        #expect(states.first == "raised high -" && states.contains("acknowledged high nurse") && states.last?.hasPrefix("cleared high") == true,
                "the log: \(states)")
    }
}

/// One room's files, its demo runs and its control socket, for the tests above.
private struct KilledRoom {
    let folder: URL
    let arguments: [String]
    let db: String
    let socket: String

    init(scenario: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-latch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("session.csv")
        try scenario.write(to: file, atomically: true, encoding: .utf8)
        db = folder.appendingPathComponent("vigil.sqlite").path
        socket = folder.appendingPathComponent("vigil.sock").path
        arguments = ["demo", "--speed", String(Int(LatchedAlarmRestartTests.speed)), "--scenario", file.path, "--db", db,
                     "--devices", folder.appendingPathComponent("dev").path, "--socket", socket, "--no-music"]
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func start() throws -> RunningVigil { try RunningVigil(arguments) }

    /// SIGKILL if it still runs (never a pid that may have been reaped and reused).
    func stop(_ demo: RunningVigil) {
        guard demo.process.isRunning else { return }
        kill(demo.process.processIdentifier, SIGKILL)
        demo.process.waitUntilExit()
    }

    /// Waits for `raised HIGH <condition>` and returns the alarm's id (the word after `ALARM`).
    func waitForHighAlarm(_ condition: String, in demo: RunningVigil, within seconds: Double) async throws -> String {
        let needle = " raised HIGH \(condition) "
        #expect(await demo.wait(for: needle, seconds: seconds), "no high \(condition) within \(seconds) s: \(demo.text)")
        let line = try #require(demo.text.split(separator: "\n").first { $0.contains(needle) })
        let words = line.split(separator: " ")
        let at = try #require(words.firstIndex(of: "ALARM"))
        return String(words[at + 1])
    }

    /// SIGKILL, then checks the log still has the alarm open, then starts the agent again on the same database.
    func killAndRestart(_ demo: RunningVigil) async throws -> RunningVigil {
        kill(demo.process.processIdentifier, SIGKILL)
        demo.process.waitUntilExit()
        #expect(demo.process.terminationReason == .uncaughtSignal)
        let restarted = try start()
        #expect(await restarted.wait(for: "resumed session"), "\(restarted.text)")
        return restarted
    }

    /// What the nurse reads after the restart, and what the log says: the alarm is open, high and unacknowledged.
    func expectStillOpen(_ id: String, _ condition: String, after demo: RunningVigil) async throws {
        let resumed = demo.text.split(separator: "\n").first { $0.contains("resumed session") } ?? ""
        #expect(resumed.contains("still open: HIGH \(condition) \(id)"), "\(resumed)")
        #expect(!demo.text.contains("agent restarted"), "the restart closed the alarm: \(demo.text)")
        #expect(!demo.text.contains("\(id) cleared"), "\(demo.text)")
        let states = try await self.states(of: id)
        #expect(states == ["raised high -"], "the log after the restart: \(states)")
        let status = try #require(await status(), "vigil session status did not answer: \(demo.text)")
        let alarm = try #require(status.alarm(id), "\(id) is not among the active alarms: \(status.json)")
        #expect(alarm["priority"] as? String == "high" && alarm["condition"] as? String == condition, "\(status.json)")
        #expect(alarm["acknowledged_by"] is NSNull, "nobody acknowledged it: \(status.json)")
    }

    /// Every event the log holds for the alarm, oldest first, as `state priority role`.
    func states(of id: String) async throws -> [String] {
        let queue = try DatabaseQueue(path: db)
        defer { try? queue.close() }
        return try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT state, priority, role FROM alarmEvent WHERE alarmId = ? ORDER BY seq", arguments: [id]).map {
                "\($0["state"] as String) \($0["priority"] as String) \($0["role"] as String? ?? "-")"
            }
        }
    }

    func vigil(_ arguments: String...) async throws -> VigilCommand.Result {
        try await VigilCommand.run(arguments + ["--socket", socket], timeout: 20)
    }

    /// `vigil session status`, read as JSON; `nil` if the agent did not answer.
    func status() async -> Status? {
        guard let result = try? await vigil("session", "status"), result.status == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else { return nil }
        return Status(json: result.stdout, object: object)
    }

    func waitForStatus(within seconds: Double, until condition: (Status) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let status = await status(), condition(status) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    struct Status {
        var json: String
        var object: [String: Any]
        var activeAlarms: Int { object["active_alarms"] as? Int ?? -1 }
        var alarms: [[String: Any]] { object["alarms"] as? [[String: Any]] ?? [] }
        func alarm(_ id: String) -> [String: Any]? { alarms.first { $0["id"] as? String == id } }
    }
}
