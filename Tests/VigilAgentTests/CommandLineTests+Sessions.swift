import Foundation
import Testing

/// `vigil demo --sessions N`: a room's day in one process — a session, the room idle, the next.
extension CommandLineTests {
    @Test("vigil demo --sessions 2 plays two sessions in a row: each has its own id, dose time, alarms, summary and report")
    func demoTwoSessions() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = try Self.writeShortSession(in: dir)
        let db = dir.appendingPathComponent("vigil.sqlite").path
        let result = try await VigilCommand.run(["demo", "--speed", "40", "--sessions", "2", "--scenario", scenario.path,
                                                 "--devices", dir.appendingPathComponent("dev").path, "--db", db, "--no-music", "--http", "off",
                                                 "--socket", dir.appendingPathComponent("ctl.sock").path],
                                                timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.lines
        #expect(lines.first == "vigil demo: 2 sessions in a row at 40× on simulated devices (Ctrl-C to stop)")
        #expect(!result.stdout.contains("staff   line"), "every staff line was performed: \(result.stdout)")

        // The terminal: start, dose, desaturation, end and summary, twice, in that order.
        func index(_ needle: String, after start: Int) -> Int? {
            lines.indices.first { $0 > start && lines[$0].contains(needle) }
        }
        var at = -1
        var summaries: [String] = []
        for pass in 1...2 {
            for needle in ["SESSION session started by doula", "SESSION dose marked by doula", "raised MEDIUM spo2_low value 87",
                           "SESSION session ended by doula", "summary S"] {
                guard let found = index(needle, after: at) else {
                    Issue.record("session \(pass): no \"\(needle)\" after line \(at + 1):\n\(result.stdout)")
                    return
                }
                at = found
            }
            summaries.append(String(lines[at].dropFirst("summary ".count).prefix { $0 != ":" }))
        }
        #expect(Set(summaries).count == 2, "each session its own id: \(summaries)")
        // The second session's vitals before its dose are pre-dose again, not timed from the first dose.
        let secondStart = try #require(index("SESSION session started by doula", after: lines.firstIndex { $0.hasPrefix("summary S") } ?? 0))
        let secondDose = try #require(index("SESSION dose marked by doula", after: secondStart))
        // Between the two, the idle room's vitals are timed from no dose at all.
        let firstSummary = try #require(lines.firstIndex { $0.hasPrefix("summary S") })
        #expect(lines[firstSummary..<secondStart].filter { $0.contains("VITALS") }.allSatisfy { $0.hasPrefix(" (no session)") },
                "\(lines[firstSummary..<secondStart].joined(separator: "\n"))")
        #expect(lines[secondStart...secondDose].filter { $0.contains("VITALS") || $0.contains("BP ") }.allSatisfy { $0.hasPrefix(" pre-dose") },
                "\(lines[secondStart...secondDose].joined(separator: "\n"))")

        // The provider's side: two sessions, newest first, each with its own report.
        let sessions = try await VigilCommand.run(["sessions", "--db", db])
        #expect(sessions.status == 0)
        let ids = sessions.lines.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(ids == summaries.reversed(), "\(sessions.stdout)")
        var alarmIDs: [String] = []
        for id in summaries {
            let report = try await VigilCommand.run(["report", id, "--db", db])
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.contains("BP before the dose     126/80 mmHg"), "\(id): \(report.stdout)")
            #expect(report.stdout.contains("SpO2: lowest 87 %"), "\(id): \(report.stdout)")
            #expect(report.stdout.contains("MEDIUM spo2_low"), "\(id): \(report.stdout)")
            // Timed from its own dose: had the second pass been timed from the first dose, it would read 9 min.
            #expect(report.stdout.contains("                         - only 3 min after the last dose\n"), "\(id): \(report.stdout)")
            let alarm = report.stdout.split(separator: "\n").first { $0.contains("MEDIUM spo2_low at") }
            alarmIDs.append(alarm.flatMap { $0.split(separator: " ").first.map(String.init) } ?? "")
        }
        #expect(!alarmIDs[0].isEmpty && alarmIDs[0] != alarmIDs[1], "each session's alarm is its own: \(alarmIDs)")
    }

    /// Five minutes of session: a baseline, the dose at 120 s, a dip to 87 % and the end at 300 s.
    static func writeShortSession(in dir: URL) throws -> URL {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let scenario = dir.appendingPathComponent("short.csv")
        try """
            0,session.start,doula
            0,spo2,98
            0,pulse_rate,70
            0,systolic,126
            0,diastolic,80
            120,dose,doula
            150,spo2,87
            190,spo2,97
            300,session.end,doula
            """.write(to: scenario, atomically: true, encoding: .utf8)
        return scenario
    }
}
