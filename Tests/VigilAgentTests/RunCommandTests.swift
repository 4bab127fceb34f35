import Foundation
import Testing
import VigilTestSupport

/// The real `vigil run` and `vigil demo` binaries on a real broker.
@Suite("vigil run and demo on the broker")
struct RunCommandTests {
    static let base = "vigil/north/room-2"

    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("vigil demo --mqtt: the status is a retained online, and turns offline when the agent is killed")
    func killedDemoGoesOffline() async throws {
        let broker = try Broker()
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let demo = try RunningVigil(["demo", "--speed", "30", "--mqtt", "127.0.0.1:\(broker.port)", "--site", "north", "--room", "room-2",
                                     "--db", dir.appendingPathComponent("vigil.sqlite").path, "--devices", dir.appendingPathComponent("dev").path])
        #expect(await demo.wait(for: "mqtt: connected to 127.0.0.1:\(broker.port) as \(Self.base)"), "\(demo.text)")
        let watcher = try await Station(port: broker.port, filter: "\(Self.base)/status")
        #expect(await watcher.wait(seconds: 5) { $0.messages.last?.text == "online" })
        #expect(await demo.wait(for: "session started"))

        kill(demo.process.processIdentifier, SIGKILL)
        demo.process.waitUntilExit()
        #expect(await watcher.wait(seconds: 20) { $0.messages.last?.text == "offline" }, "the broker published the will")
        let later = try await Station(port: broker.port, filter: "\(Self.base)/status")
        #expect(await later.wait(seconds: 5) { $0.messages.last.map { $0.text == "offline" && $0.retained } ?? false },
                "a station that connects later sees the retained offline")
    }

    @Test("vigil run from vigil.yaml: a serial oximeter, a TLS broker with a password; a station command starts the session")
    func runFromConfig() async throws {
        let broker = try Broker(security: .password(user: "room-2", password: "s3cret"), tls: true)
        let ca = try #require(broker.caFile)
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("oximeter").path
        let simulator = try RunningVigil(["simulate", "contec-v7", "--link", link])
        defer { kill(simulator.process.processIdentifier, SIGKILL) }
        try "s3cret\n".write(to: dir.appendingPathComponent("mqtt.password"), atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("vigil.yaml")
        try """
            site: north
            room: room-2
            database: vigil.sqlite
            devices:
              - { name: oximeter, profile: \(VigilCommand.packageRoot.path)/Devices/contec-cms50-v7.yaml, port: \(link) }
            mqtt:
              host: 127.0.0.1
              port: \(broker.port)
              username: room-2
              password_file: mqtt.password
              tls: { ca: \(ca) }
            """.write(to: config, atomically: true, encoding: .utf8)
        let check = try await VigilCommand.run(["check-config", config.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let station = try await Station(port: broker.port, filter: "\(Self.base)/#", login: ("room-2", "s3cret"), caFile: ca)
        let agent = try RunningVigil(["run", "--config", config.path])
        #expect(await agent.wait(for: "mqtt: connected to 127.0.0.1:\(broker.port)"), "\(agent.text)")
        #expect(await station.wait(seconds: 15) { s in
            s.objects(on: "\(Self.base)/vitals/spo2").contains { $0["device"] as? String == "oximeter" && $0["quality"] as? String == "valid" }
        }, "the oximeter's readings reach the station; \(agent.text)")
        try await station.send("\(Self.base)/cmd/start", #"{"request":"r1","role":"nurse"}"#)
        #expect(await station.wait(seconds: 5) { $0.objects(on: "\(Self.base)/cmd/start/result").first?["ok"] as? Bool == true })
        #expect(await agent.wait(for: "SESSION session started by nurse"), "\(agent.text)")

        kill(agent.process.processIdentifier, SIGTERM)
        agent.process.waitUntilExit()
        #expect(agent.text.contains("vigil run: stopped"))
        await station.wait(seconds: 5) { $0.messages(on: "\(Self.base)/status").last?.text == "offline" }
        #expect(station.messages(on: "\(Self.base)/status").last?.text == "offline", "a clean stop sets the status itself")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("vigil.sqlite").path), "the database is next to the config")
    }

    @Test("A wrong MQTT password is said once, clearly, and the room keeps running without the broker")
    func wrongPassword() async throws {
        let broker = try Broker(security: .password(user: "room-2", password: "s3cret"))
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "guess\n".write(to: dir.appendingPathComponent("mqtt.password"), atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("vigil.yaml")
        try """
            site: north
            room: room-2
            database: vigil.sqlite
            mqtt: { host: 127.0.0.1, port: \(broker.port), username: room-2, password_file: mqtt.password }
            """.write(to: config, atomically: true, encoding: .utf8)
        let agent = try RunningVigil(["run", "--config", config.path])
        defer { kill(agent.process.processIdentifier, SIGKILL) }
        #expect(await agent.wait(for: "refused the connection"), "\(agent.text)")
        try await Task.sleep(for: .seconds(3))
        let refusals = agent.text.components(separatedBy: "refused the connection").count - 1
        #expect(refusals == 1, "said once, not at every retry: \(agent.text)")
        #expect(agent.text.contains("not authori") || agent.text.contains("bad user name or password"), "\(agent.text)")
        #expect(agent.process.isRunning, "the room runs on without the broker")
    }
}
