import Foundation
import VigilTestSupport
import Testing
import VigilDevices

/// The `vigil` binary as a clinician or engineer runs it.
@Suite("vigil command line")
struct CommandLineTests {
    @Test("vigil replay prints a fixture's expected events, one JSON object a line")
    func replayFixture() async throws {
        let result = try await VigilCommand.run(["replay", "Tests/Fixtures/scenarios/desaturation-peak.csv"])
        #expect(result.status == 0)
        let expected = try String(contentsOf: VigilCommand.packageRoot
            .appendingPathComponent("Tests/Fixtures/scenarios/desaturation-peak.expected.jsonl"), encoding: .utf8)
        #expect(result.stdout == expected)
        for line in result.lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            for key in ["time", "id", "kind", "condition", "vital", "priority", "state", "value", "limit", "phase"] {
                #expect(object?.keys.contains(key) == true, "\(key) in \(line)")
            }
        }
    }

    @Test("vigil replay reads standard input and a stricter profile changes the outcome")
    func replayWithProfile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = dir.appendingPathComponent("strict.yaml")
        try """
            limits:
              - { vital: spo2, phases: [baseline], below: 97, priority: low, delay: 5s }
              - { vital: spo2, phases: [onset, peak, recovery], below: 90, priority: medium, delay: 15s }
            """.write(to: profile, atomically: true, encoding: .utf8)
        let scenario = "0,session.start,\n0,spo2,96\n60,session.end,\n"
        let plain = try await VigilCommand.run(["replay", "-"], stdin: scenario)
        #expect(plain.status == 0)
        #expect(plain.stdout.isEmpty)
        let strict = try await VigilCommand.run(["replay", "-", "--profile", profile.path], stdin: scenario)
        #expect(strict.status == 0)
        #expect(strict.lines.count == 2)
        #expect(strict.lines.first?.contains("\"condition\":\"spo2_low\"") == true)
        #expect(strict.lines.first?.contains("\"since_dose_s\":null") == true)
    }

    @Test("A malformed scenario line fails with file, line and reason, not a crash")
    func replayMalformed() async throws {
        let result = try await VigilCommand.run(["replay", "-"], stdin: "0,session.start,\n10,spo2,ninety\n")
        #expect(result.status == 1)
        #expect(result.stderr == "vigil replay: -:2: spo2: value \"ninety\" is not a number\n")
        let missing = try await VigilCommand.run(["replay", "no/such/file.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no/such/file.csv: no such file"))
    }

    @Test("vigil check-config accepts the shipped example and the default profile")
    func checkConfigValid() async throws {
        let example = try await VigilCommand.run(["check-config", "deploy/vigil.example.yaml"])
        #expect(example.status == 0)
        #expect(example.stdout == "deploy/vigil.example.yaml: ok: site north-clinic, room room-2, 26 alarm limits and 10 crisis tiers, devices: oximeter (Contec CMS50D+/E/F (protocol V7.0, legacy fallback)), nibp (SunTech Advantage / Advantage A+ (NIBP)), broker: broker.north-clinic.lan:1883, pages: http://127.0.0.1:8080 with logins 1 nurse, 0 doula, 0 provider\n", "\(example.stdout)\(example.stderr)")
        let profile = try await VigilCommand.run(["check-config", "--profile", "deploy/alarms.default.yaml"])
        #expect(profile.status == 0)
        let device = try await VigilCommand.run(["check-config", "--device", "Devices/contec-cms50-v7.yaml"])
        #expect(device.stdout == "Devices/contec-cms50-v7.yaml: ok: Contec CMS50D+/E/F (protocol V7.0, legacy fallback), contec-v7 or contec-legacy at 115200 baud\n")
    }

    @Test("vigil decode turns a capture into readings with quality, and counts what it rejected")
    func decode() async throws {
        let capture = [UInt8]([0x01, 0xE0, 0x85, 0xB3, 0x96, 0xC1, 0xE1, 0xFF, 0xFF, 0x42, 0x01, 0xE9, 0x80, 0xC0, 0x90, 0xFF, 0xFF, 0xFF, 0xFF])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cms50.bin")
        try Data(capture).write(to: file)
        let result = try await VigilCommand.run(["decode", "--protocol", "contec-v7", file.path])
        #expect(result.status == 0)
        #expect(result.lines == [
            #"{"time":1,"offset":9,"vital":"spo2","value":97,"quality":"valid","device":"contec-v7"}"#,
            #"{"time":1,"offset":9,"vital":"pulse_rate","value":65,"quality":"valid","device":"contec-v7"}"#,
            #"{"time":2,"offset":19,"vital":"spo2","value":null,"quality":"sensor_off","device":"contec-v7"}"#,
            #"{"time":2,"offset":19,"vital":"pulse_rate","value":null,"quality":"sensor_off","device":"contec-v7"}"#,
            #"{"frames_decoded":2,"frames_rejected":0,"bytes_skipped":1,"bytes":19}"#,
        ])
        let unknown = try await VigilCommand.run(["decode", "--protocol", "contec-v9"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown protocol \"contec-v9\""))
    }

    @Test("vigil simulate prints its pseudo-terminal and speaks the protocol on it")
    func simulate() async throws {
        let process = Process()
        process.executableURL = VigilCommand.binary
        process.arguments = ["simulate", "nonin-8"]
        let out = Pipe()
        process.standardOutput = out
        try Spawn.run(process)
        defer { process.terminate() }
        let path = try #require(String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            .split(separator: "\n").first.map(String.init))
        #expect(path.hasPrefix("/dev/pts/"))
        let port = try SerialPort.open(path: path, settings: SerialSettings(baud: 9_600))
        defer { port.close() }
        var decoder = NoninDecoder(format: .eight)
        var values: [DeviceValue] = []
        for try await chunk in port.bytes() {
            for case .values(let v, _) in decoder.decode(chunk) { values += v }
            if values.count >= 4 { break }
        }
        #expect(values.prefix(2) == [DeviceValue(.spo2, 98, .valid), DeviceValue(.pulseRate, 72, .valid)])
    }

    @Test("vigil check-config prints FILE:LINE: key: problem for each error and exits 1")
    func checkConfigInvalid() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("vigil.yaml")
        try """
            site: north clinic
            alarms:
              audio_pause: 10m
              limits:
                - { vital: spo2, phases: [peak], below: ninety, priority: high }
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await VigilCommand.run(["check-config", file.path])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(file.path):1: site: \"north clinic\" must be 1–64 letters, digits, - or _ (it is part of MQTT topics)",
            "\(file.path):1: room: missing (a short name such as north-clinic or room-2)",
            "\(file.path):3: alarms.audio_pause: must be more than 0 and at most 2m (IEC 60601-1-8)",
            "\(file.path):5: alarms.limits[0].below: \"ninety\" is not a number",
        ])
    }

    @Test("vigil demo runs the agent on simulated devices and prints phases, readings and alarms")
    func demo() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = try Self.writeShortSession(in: dir)
        let db = dir.appendingPathComponent("vigil.sqlite").path
        let result = try await VigilCommand.run(["demo", "--speed", "40", "--scenario", scenario.path,
                                           "--devices", dir.appendingPathComponent("dev").path, "--db", db, "--http", "off",
                                           "--socket", dir.appendingPathComponent("ctl.sock").path])
        #expect(result.status == 0)
        let out = result.stdout
        #expect(out.contains("device  oximeter (contec-v7) on /dev/pts/"))
        #expect(out.contains("device  nibp (suntech) on /dev/pts/"))
        #expect(out.contains("BP     126/80 mmHg"))
        #expect(out.contains("phase → onset"))
        #expect(out.contains("raised MEDIUM spo2_low value 87 limit 90"))
        #expect(out.contains("VITALS SpO2 98 %, pulse 70/min"))
        #expect(out.contains("session ended by doula"))
        #expect(out.contains("summary S"))

        // The provider's side: the session is in the database, with its report and exports.
        let sessions = try await VigilCommand.run(["sessions", "--db", db])
        let id = try #require(sessions.lines.first?.split(separator: " ").first.map(String.init))
        #expect(sessions.lines.count == 1)
        let report = try await VigilCommand.run(["report", id, "--db", db])
        #expect(report.status == 0)
        #expect(report.stdout.contains("BP before the dose     126/80 mmHg"))
        #expect(report.stdout.contains("SpO2: lowest 87 %"))
        #expect(report.stdout.contains("MEDIUM spo2_low"))
        // Ended three minutes after the dose: the provider reads that the patient was not ready, and why.
        #expect(report.stdout.contains("  Ready to leave         no, at the end of the session:\n"))
        #expect(report.stdout.contains("                         - only 3 min after the last dose\n"))
        let fhirFile = dir.appendingPathComponent("fhir.json")
        let export = try await VigilCommand.run(["export", id, "--format", "fhir", "--out", fhirFile.path, "--db", db])
        #expect(export.status == 0)
        let bundle = try JSONSerialization.jsonObject(with: Data(contentsOf: fhirFile)) as? [String: Any]
        #expect(bundle?["resourceType"] as? String == "Bundle")
        let csv = try await VigilCommand.run(["export", id, "--db", db])
        #expect(csv.lines.first == "time,vital,value,unit,quality,device")
        let prune = try await VigilCommand.run(["prune", "--older-than", "365d", "--dry-run", "--db", db])
        #expect(prune.stdout == "0 sessions would be deleted\n")
        let missing = try await VigilCommand.run(["report", "S-nope", "--db", db])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no session S-nope in this database"))
    }
}
