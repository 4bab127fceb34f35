import Foundation
import GRDB
import Testing

/// `vigil session` and `vigil music` on a running demo, through its control socket.
@Suite("The doula's controls")
struct ControlTests {
    @Test("The doula starts the session, marks the dose, adds a note and sets the music's volume; each, and each refusal, is audited with its role")
    func doulaControls() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-control-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("quiet.csv")
        try "0,spo2,97\n0,pulse_rate,70\n0,systolic,122\n0,diastolic,78\n3000,spo2,97\n".write(to: scenario, atomically: true, encoding: .utf8)
        let socket = dir.appendingPathComponent("vigil.sock").path
        let db = dir.appendingPathComponent("vigil.sqlite").path
        let demo = try RunningVigil(["demo", "--speed", "10", "--scenario", scenario.path, "--audio-device", "null",
                                     "--socket", socket, "--db", db, "--devices", dir.appendingPathComponent("dev").path])
        defer { kill(demo.process.processIdentifier, SIGKILL) }
        #expect(await demo.wait(for: "VITALS"), "\(demo.text)")

        let attributes = try FileManager.default.attributesOfItem(atPath: socket)
        #expect((attributes[.posixPermissions] as? Int) == 0o660, "owner and group only")

        func vigil(_ arguments: String...) async throws -> VigilCommand.Result {
            try await VigilCommand.run(arguments + ["--socket", socket])
        }
        let start = try await vigil("session", "start", "--patient-reference", "PT-9")
        #expect(start.status == 0 && start.stdout.contains("\"ok\":true"), "\(start.stdout)\(start.stderr)")
        #expect(try await vigil("session", "start").stdout.contains("a session is already running"))
        #expect(try await vigil("session", "dose").status == 0)
        #expect(try await vigil("session", "note", "calm,", "breathing", "slowly").status == 0)
        let status = try await vigil("session", "status")
        #expect(status.stdout.contains("\"phase\":\"onset\""), "\(status.stdout)")
        #expect(await demo.wait(for: "note: calm, breathing slowly"), "\(demo.text)")

        #expect(try await vigil("music", "volume", "40").status == 0)
        let refused = try await vigil("music", "volume", "140")
        #expect(refused.status == 1 && refused.stdout.contains("from 0 to 100"))
        let music = try await vigil("music", "status")
        #expect(music.stdout.contains("\"state\":\"playing\"") && music.stdout.contains("\"volume\":40"), "\(music.stdout)")
        #expect(try await vigil("music", "pause").status == 0)

        let audit = try await DatabaseQueue(path: db).read { db in
            try Row.fetchAll(db, sql: "SELECT role, action, detail, source FROM audit ORDER BY id").map {
                "\($0["role"] as String) \($0["action"] as String) \($0["detail"] as String? ?? "-") \($0["source"] as String)"
            }
        }
        #expect(audit == ["doula session.start patient reference PT-9 control",
                          "doula refused session.start: a session is already running control", "doula dose - control",
                          "doula note calm, breathing slowly control", "doula music.volume 40 control",
                          "doula refused music.volume: volume needs a \"value\" from 0 to 100 control", "doula music.pause - control"],
                "refusals too: \(audit)")

        #expect(try await vigil("session", "end").status == 0)
        let between = try await vigil("session", "status")
        #expect(between.stdout.contains("\"session\":null") && between.stdout.contains("\"phase\":null")
                    && between.stdout.contains("\"since_dose_s\":null"), "between sessions, no phase and no dose: \(between.stdout)")
    }

    @Test("With no agent running, vigil session says where it looked")
    func noAgent() async throws {
        let result = try await VigilCommand.run(["session", "status", "--socket", "/tmp/vigil-nobody-\(UUID().uuidString).sock"])
        #expect(result.status != 0)
        #expect((result.stdout + result.stderr).contains("is vigil run or vigil demo running?"))
    }
}
