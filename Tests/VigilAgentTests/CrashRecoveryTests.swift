import Foundation
import GRDB
import Synchronization
import Testing
import VigilCore

/// The real `vigil` binary, killed with SIGKILL in the middle of a session.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    @Test("Killed at a random moment: readings older than a second survive, the file is sound, the session resumes in its phase")
    func sigkill() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("vigil.sqlite").path
        let profile = folder.appendingPathComponent("fast.yaml")
        try "timeline: { peak: 6s, recovery: 12s, discharge: 60s }\n".write(to: profile, atomically: true, encoding: .utf8)
        let scenario = folder.appendingPathComponent("session.csv")
        try "0,session.start,doula\n0,spo2,97\n0,pulse_rate,70\n0,systolic,125\n0,diastolic,80\n2,dose,doula\n120,session.end,doula\n"
            .write(to: scenario, atomically: true, encoding: .utf8)
        let arguments = ["demo", "--speed", "1", "--scenario", scenario.path, "--profile", profile.path,
                         "--db", db, "--devices", folder.appendingPathComponent("dev").path]

        let first = try RunningVigil(arguments)
        #expect(await first.wait(for: "dose marked"), "\(first.text)")
        try await Task.sleep(for: .milliseconds(Int.random(in: 3_000...9_000)))
        let killedAt = Date()
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(first.process.terminationReason == .uncaughtSignal)

        // Before anything touches the file again: sound, and every reading older than a second is there.
        let queue = try DatabaseQueue(path: db)
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let session = try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT id, startedAt, doseAt FROM session") })
        let times = try await queue.read {
            try Double.fetchAll($0, sql: "SELECT time FROM reading WHERE vital = 'spo2' AND quality = 'valid' ORDER BY time")
        }
        let firstReading = try #require(times.first)
        let cutoff = killedAt.timeIntervalSince1970 - 1
        let covered = times.filter { $0 <= cutoff }
        #expect(covered.count >= Int(cutoff - firstReading) - 1, "\(covered.count) readings for \(cutoff - firstReading) s")
        let widestGap = zip(covered, covered.dropFirst()).map { $1 - $0 }.max() ?? 0
        #expect(widestGap < 1.6, "a second of readings went missing: gap of \(widestGap) s")
        // One reading a second is kept: the newest one older than the cutoff must be there too.
        #expect(cutoff - (covered.last ?? 0) < 1.1, "the reading due in the second before the cutoff is missing")
        // The phase the session's records reached: readings, session events and alarm events.
        let lastRecord = try #require(try await queue.read {
            try Double.fetchOne($0, sql: "SELECT MAX(t) FROM (SELECT MAX(time) AS t FROM reading UNION ALL SELECT MAX(time) FROM sessionEvent UNION ALL SELECT MAX(time) FROM alarmEvent)")
        })
        try queue.close()

        // Restart: the same session, in the phase its dose time gives.
        let doseAt: Double = try #require(session["doseAt"])
        let sinceDose = lastRecord - doseAt
        let expected = sinceDose >= 12 ? "recovery" : sinceDose >= 6 ? "peak" : "onset"
        let second = try RunningVigil(arguments)
        #expect(await second.wait(for: "resumed session \(session["id"] as String) in "), "\(second.text)")
        let resumedLine = second.text.split(separator: "\n").first { $0.contains("resumed session") }.map(String.init) ?? ""
        #expect(resumedLine.contains(" in \(expected)"), "\(resumedLine), expected \(expected) at \(sinceDose) s after the dose")
        #expect(await second.wait(for: "VITALS"))
        second.process.terminate()
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus == 0, "SIGTERM ends the agent gracefully")
        let reopened = try DatabaseQueue(path: db)
        #expect(try await reopened.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try await reopened.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM session") } == 1)
        #expect(try await reopened.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sessionEvent WHERE kind = 'resumed'") } == 1)
    }
}
