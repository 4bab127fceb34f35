import Foundation
import GRDB
import Testing
@testable import VigilAgent
import VigilCore
import VigilStore
import VigilTestSupport

/// `vigil doctor` as a clinic's IT person runs it: the real binary against a healthy simulated
/// room, then against each fault alone, each giving its ✗ and its advice.
@Suite("vigil doctor", .serialized)
struct DoctorTests {
    /// Every line but the clock's, which depends on the machine (here: no systemd, so `!`).
    func expectHealthy(_ result: VigilCommand.Result, except subjects: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation) {
        for line in result.lines where !line.hasPrefix("    ") {
            let subject = String(line.dropFirst(2).prefix { $0 != ":" })
            guard subject != "clock", !subjects.contains(subject) else { continue }
            #expect(line.hasPrefix("✓ "), "\(line)\n\(result.stdout)", sourceLocation: sourceLocation)
        }
    }

    /// The status the doctor must give: 1 with any ✗ (the clock's included), else 0.
    func expectedStatus(_ result: VigilCommand.Result) -> Int32 { result.lines.contains { $0.hasPrefix("✗ ") } ? 1 : 0 }

    @Test("A healthy room: every check ✓ in order, devices with their protocol and frames, exit 0")
    func healthyRoom() async throws {
        let room = try await DoctorRoom()
        let config = try room.write(room.healthy)
        let result = try await room.doctor(config)
        #expect(result.lines.map { String($0.dropFirst(2).prefix { $0 != ":" }) }
            == ["config", "oximeter", "nibp", "music", "chime", "pages", "broker", "disk", "database", "clock"], "\(result.stdout)")
        expectHealthy(result)
        #expect(result.status == expectedStatus(result), "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("✗ ") || result.line("clock")?.hasPrefix("✗") == true)
        #expect(result.line("config") == "✓ config: \(config) is valid (north/room-2, 2 devices)")
        let oximeter = try #require(result.line("oximeter"))
        #expect(oximeter.hasPrefix("✓ oximeter: \(room.oximeter) (\(room.terminal(room.oximeter))) speaks contec-v7: "), "\(oximeter)")
        let frames = Int(oximeter.split(separator: " ").reversed().dropFirst(5).first ?? "") ?? 0
        #expect(frames >= 30, "a second of a CMS50 is ~60 frames: \(oximeter)")
        #expect(result.line("nibp")?.hasPrefix("✓ nibp: \(room.nibp) (\(room.terminal(room.nibp))) speaks suntech: ") == true, "\(result.stdout)")
        #expect(result.line("broker") == "✓ broker: 127.0.0.1:\(room.broker.port) accepted the login as room-2, over TLS, the certificate verified against \(room.broker.caFile!)")
        #expect(result.line("music")?.contains("opens for 16-bit stereo at 48 kHz (an ALSA plugin, no sound card)") == true, "\(result.stdout)")
        #expect(result.line("chime")?.hasSuffix("not the music's device") == true, "\(result.stdout)")
        #expect(result.line("disk")?.contains("a month of sessions needs ~0.8 GB (3 readings a second, 8 two-hour sessions a day, 31 days)") == true,
                "\(result.stdout)")
        #expect(result.line("database") == "✓ database: \(room.dir.path)/vigil.sqlite passes SQLite's integrity check, schema up to date (4 migrations), 0 sessions")
    }

    @Test("A missing port: ✗ with the cable and the udev rule, and the rest still checked")
    func missingPort() async throws {
        let room = try await DoctorRoom()
        var parts = room.healthy
        parts.oximeterPort = "/dev/vigil/oximeter-\(UUID().uuidString.prefix(8))"
        let result = try await room.doctor(try room.write(parts))
        #expect(result.status == 1)
        #expect(result.line("oximeter") == "✗ oximeter: \(parts.oximeterPort) does not exist — is the cable plugged in? no udev rule names vigil/\(parts.oximeterPort.dropFirst("/dev/vigil/".count)): copy deploy/99-vigil-devices.rules to /etc/udev/rules.d/ with a line for each device's cable (its USB id from `lsusb`), then `udevadm control --reload && udevadm trigger`",
                "\(result.stdout)")
        expectHealthy(result, except: ["oximeter"])
    }

    @Test("A port this user may not open: ✗ naming the user, the owner, group and mode, and dialout")
    func portWithoutPermission() async throws {
        let room = try await DoctorRoom()
        // The doctor runs as nobody: it may read the config and create the database in the room's folder.
        #expect(chown(room.dir.path, 65_534, 65_534) == 0)
        try FileManager.default.removeItem(atPath: room.dir.appendingPathComponent("vigil.sqlite").path)
        #expect(chown(room.terminal(room.oximeter), 0, 0) == 0)
        #expect(chmod(room.terminal(room.oximeter), 0o600) == 0)
        #expect(chmod(room.terminal(room.nibp), 0o666) == 0)
        var parts = room.healthy
        parts.mqtt = nil
        let result = try await room.doctor(try room.write(parts), as: "nobody")
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let oximeter = "\(room.oximeter) (\(room.terminal(room.oximeter)))"
        #expect(result.line("oximeter") == "✗ oximeter: \(oximeter) is not readable and writable by nobody (root:root crw-------) — add the user to dialout (sudo usermod -aG dialout nobody, then log in again or restart vigil); the udev rule (deploy/99-vigil-devices.rules) gives the port group dialout, mode 0660",
                "\(result.stdout)\(result.stderr)")
        #expect(result.line("nibp")?.hasPrefix("✓ nibp:") == true, "a port it may open is listened to: \(result.stdout)")
        #expect(result.line("database") == "✓ database: \(room.dir.path)/vigil.sqlite does not exist yet: vigil run will create it")
        expectHealthy(result, except: ["oximeter"])
    }

    @Test("A dead broker: ✗ nothing listens, told apart from a refused login")
    func deadBroker() async throws {
        let room = try await DoctorRoom()
        var parts = room.healthy
        let port = try DoctorRoom.deadPort()
        parts.mqtt = parts.mqtt!.replacingOccurrences(of: "port: \(room.broker.port)", with: "port: \(port)")
        let result = try await room.doctor(try room.write(parts))
        #expect(result.status == 1)
        #expect(result.line("broker") == "✗ broker: 127.0.0.1:\(port): nothing listens there (connection refused) — is mosquitto running on the broker (systemctl status mosquitto), and is \(port) its port?",
                "\(result.stdout)")
        expectHealthy(result, except: ["broker"])
    }

    @Test("A wrong broker password: ✗ the broker refused the login, with the broker's words")
    func wrongPassword() async throws {
        let room = try await DoctorRoom()
        try "guess\n".write(to: room.dir.appendingPathComponent("mqtt.password"), atomically: true, encoding: .utf8)
        let result = try await room.doctor(try room.write(room.healthy))
        #expect(result.status == 1)
        let line = try #require(result.line("broker"), "\(result.stdout)")
        #expect(line.hasPrefix("✗ broker: 127.0.0.1:\(room.broker.port) refused the login as room-2: "), "\(line)")
        #expect(line.lowercased().contains("not authori") || line.lowercased().contains("bad user name or password"), "\(line)")
        #expect(line.hasSuffix("— check mqtt.username and the password file against the broker's (on the broker: mosquitto_passwd /etc/mosquitto/vigil.passwd room-2)"))
        expectHealthy(result, except: ["broker"])
    }

    @Test("A broker whose certificate another CA signed: ✗ the TLS handshake, not the password")
    func wrongCertificateAuthority() async throws {
        let room = try await DoctorRoom()
        let other = try Broker(tls: true)
        var parts = room.healthy
        parts.mqtt = parts.mqtt!.replacingOccurrences(of: room.broker.caFile!, with: other.caFile!)
        let result = try await room.doctor(try room.write(parts))
        #expect(result.status == 1)
        let line = try #require(result.line("broker"), "\(result.stdout)")
        #expect(line.hasPrefix("✗ broker: 127.0.0.1:\(room.broker.port): the TLS handshake failed"), "\(line)")
        #expect(line.contains("is mqtt.tls.ca the CA that signed the broker's certificate"), "\(line)")
    }

    @Test("An absent sound device: ✗ the music's device does not exist, with aplay -l")
    func absentSoundDevice() async throws {
        let room = try await DoctorRoom()
        var parts = room.healthy
        parts.audio = parts.audio!.replacingOccurrences(of: "\"file:'\(room.dir.path)/music.wav',wav\"", with: "hw:9,0")
        let result = try await room.doctor(try room.write(parts))
        #expect(result.status == 1)
        let line = try #require(result.line("music"), "\(result.stdout)")
        #expect(line.hasPrefix("✗ music: hw:9,0 does not exist ("), "\(line)")
        #expect(line.hasSuffix("— is the sound card or USB headphone amplifier plugged in? `aplay -l` lists the cards; name one in audio.device (plughw:CARD,0)"))
        expectHealthy(result, except: ["music"])
    }

    @Test("A corrupt database: ✗ damaged, with what to do with the file")
    func corruptDatabase() async throws {
        let room = try await DoctorRoom()
        let path = room.dir.appendingPathComponent("vigil.sqlite").path
        try Self.fill(path)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 100_000)
        let file = try #require(FileHandle(forWritingAtPath: path))
        try file.seek(toOffset: UInt64(size / 2))
        file.write(Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 13) }))
        try file.close()
        let result = try await room.doctor(try room.write(room.healthy))
        #expect(result.status == 1)
        let line = try #require(result.line("database"), "\(result.stdout)")
        #expect(line.hasPrefix("✗ database: \(path) is damaged (SQLite's integrity check: "), "\(line)")
        #expect(line.hasSuffix("— stop vigil, keep a copy of the file, then restore the last backup, or move the file aside so vigil run starts a new one (the old sessions stay in the copy)"))
        expectHealthy(result, except: ["database"])
    }

    @Test("A database from a newer Vigil: ✗ written by a newer Vigil")
    func newerDatabase() async throws {
        let room = try await DoctorRoom()
        let path = room.dir.appendingPathComponent("vigil.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')") }
        try queue.close()
        let result = try await room.doctor(try room.write(room.healthy))
        #expect(result.status == 1)
        #expect(result.line("database") == "✗ database: \(path) was written by a newer Vigil (schema steps unknown here: v9: from the future) — install that Vigil again (or a newer one): this one must not write to it")
    }

    @Test("Beside the running agent: its ports are not listened to (!), its broker login stays up, exit 0")
    func besideTheRunningAgent() async throws {
        let room = try await DoctorRoom()
        let config = try room.write(room.healthy)
        let agent = try RunningVigil(["run", "--config", config, "--socket", room.dir.appendingPathComponent("vigil.sock").path])
        defer {
            kill(agent.process.processIdentifier, SIGKILL)
            agent.process.waitUntilExit()
        }
        #expect(await agent.wait(for: "mqtt: connected to 127.0.0.1:\(room.broker.port)"), "\(agent.text)")
        try await Task.sleep(for: .seconds(1))  // its device connections opened the ports at start
        let result = try await room.doctor(config)
        let pid = agent.process.processIdentifier
        #expect(result.line("oximeter") == "! oximeter: \(room.oximeter) (\(room.terminal(room.oximeter))) is open in vigil (pid \(pid)); not listened to, so as not to take its bytes — if that is the running agent, its log says whether the device is connected; stop it to let vigil doctor listen",
                "\(result.stdout)")
        #expect(result.line("nibp")?.hasPrefix("! nibp: \(room.nibp) (\(room.terminal(room.nibp))) is open in vigil (pid \(pid))") == true, "\(result.stdout)")
        expectHealthy(result, except: ["oximeter", "nibp"])
        #expect(result.status == expectedStatus(result), "\(result.stdout)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(!agent.text.contains("mqtt: lost the broker"), "the doctor's login did not push the room's off: \(agent.text)")
    }

    @Test("A config that does not load: ✗ with each file:line problem, the rest skipped, the clock still checked")
    func invalidConfig() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("vigil.yaml").path
        try "site: north\nroom: room 2\naudio:\n  device: plughw:1,0\n  chime_device: plughw:1,0\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await VigilCommand.run(["doctor", "--config", config], timeout: 30)
        #expect(result.status == 1)
        #expect(Array(result.lines.prefix(4)) == [
            "✗ config: \(config) is not valid (2 problems) — fix each line below (vigil check-config \(config) checks it again)",
            "    \(config):2: room: \"room 2\" must be 1–64 letters, digits, - or _ (it is part of MQTT topics)",
            "    \(config):5: audio.chime_device: must not be the patient's music device (plughw:1,0): alarms never sound in the headphones",
            "- devices, sound, pages, broker, disk and database: not checked: they need a valid config",
        ], "\(result.stdout)")
        #expect(result.lines.last?.dropFirst(2).hasPrefix("clock:") == true)
        let missing = try await VigilCommand.run(["doctor", "--config", dir.appendingPathComponent("none.yaml").path], timeout: 30)
        #expect(missing.status == 1)
        #expect(missing.lines.first == "✗ config: \(dir.path)/none.yaml: no such file — give the room's config with --config FILE (the package installs /etc/vigil/vigil.yaml; in Vigil's source, deploy/vigil.example.yaml is a start)")
    }

    /// A real database with a few thousand readings, checkpointed into the main file.
    static func fill(_ path: String, seconds: Int = 3_000) throws {
        let store = try Store(path: path)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try store.insert(SessionRecord(id: "S20270115-080000-ab12", site: "north", room: "room-2", patientReference: nil,
                                       startedAt: start.timeIntervalSince1970, startedBy: "doula"))
        let readings = (0..<seconds).flatMap { s in
            [Vital.spo2, .pulseRate, .perfusionIndex].map { vital in
                (Reading(time: start.addingTimeInterval(Double(s)), vital: vital, value: 97 + Double(s % 3), device: "oximeter"),
                 Optional("S20270115-080000-ab12"))
            }
        }
        try store.record(readings)
        _ = try store.writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    }
}
