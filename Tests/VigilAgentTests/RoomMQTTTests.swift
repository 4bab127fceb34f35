import Foundation
import Testing
import VigilAgent
import VigilCore
import VigilDevices
import VigilMQTT
import VigilStore
import VigilTestSupport

/// The room on a real mosquitto: what the clinic's station sees and what it can do.
@Suite("The room on the clinic's broker")
struct RoomMQTTTests {
    static let base = "vigil/north/room-2"

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("A demo session on the broker: vitals, session, alarm events, the active list and the summary arrive on the documented topics")
    func demoTopics() async throws {
        let broker = try Broker()
        let station = try await Station(port: broker.port)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try Scenario.parse("""
            0,session.start,doula
            0,spo2,97
            0,pulse_rate,72
            0,systolic,126
            0,diastolic,80
            30,dose,doula
            60,spo2,86
            100,spo2,97
            105,ack,nurse:spo2_low
            150,session.end,doula
            """)
        let store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
        let room = DemoRoom(scenario: scenario, speed: 20, deviceFolder: folder.appendingPathComponent("dev").path, store: store,
                            identity: RoomIdentity(site: "north", room: "room-2"),
                            mqtt: MQTTSettings(host: "127.0.0.1", port: broker.port))
        try await room.run(output: { _ in })
        await station.wait { !$0.messages(on: "\(Self.base)/summary").isEmpty }
        // The room published `offline` before it returned; the broker passes it on in its own time.
        await station.wait(seconds: 5) { $0.messages(on: "\(Self.base)/status").last?.text == "offline" }

        let status = station.messages(on: "\(Self.base)/status").map(\.text)
        #expect(status.first == "online")
        #expect(status.last == "offline", "a planned stop says so; \(status)")

        let spo2 = try #require(station.objects(on: "\(Self.base)/vitals/spo2").last)
        #expect(spo2["schema"] as? Int == 1)
        #expect(spo2["unit"] as? String == "%")
        #expect(spo2["device"] as? String == "oximeter")
        #expect(station.messages(on: "\(Self.base)/vitals/systolic").contains { $0.text.contains("\"value\":126") })

        let alarms = station.objects(on: "\(Self.base)/alarms")
        let raised = try #require(alarms.first { $0["condition"] as? String == "spo2_low" && $0["state"] as? String == "raised" })
        #expect(raised["priority"] as? String == "medium")
        #expect(raised["value"] as? Double == 86)
        #expect(raised["phase"] as? String == "onset")
        for key in ["schema", "site", "room", "event_id", "session", "time", "id", "kind", "vital", "limit"] {
            #expect(raised[key] != nil, "alarm events carry \(key)")
        }
        let stored = try store.alarmEvents(session: try #require(raised["session"] as? String))
        #expect(alarms.compactMap { $0["event_id"] as? String } == stored.map(RoomPayloads.eventID), "every stored event, in order")

        let active = station.objects(on: "\(Self.base)/alarms/active")
        #expect(active.contains { ($0["alarms"] as? [[String: Any]])?.first?["condition"] as? String == "spo2_low" })
        #expect((active.last?["alarms"] as? [Any])?.isEmpty == true, "nothing active once acknowledged and cleared")

        let phases = station.objects(on: "\(Self.base)/session").compactMap { $0["phase"] as? String }
        #expect(phases.contains("onset"))
        #expect(station.objects(on: "\(Self.base)/session").last?["state"] as? String == "ended")

        let summary = try #require(station.objects(on: "\(Self.base)/summary").first)
        #expect((summary["summary"] as? [String: Any])?["minimum_sp_o2"] as? Double == 86)
        #expect(try store.outboxCount() == 0, "everything acknowledged left the outbox")
    }

    @Test("A JSON oximeter on MQTT raises a high alarm; the station starts, doses, acknowledges and ends over MQTT, each audited")
    func jsonDeviceAndCommands() async throws {
        let broker = try Broker()
        let station = try await Station(port: broker.port)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
        let profileFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Devices/json-oximeter-bridge.yaml")
        let profile = try DeviceProfile.load(yaml: String(contentsOf: profileFile, encoding: .utf8), file: "bridge")
        let config = VigilConfig(site: "north", room: "room-2", mqtt: MQTTSettings(host: "127.0.0.1", port: broker.port))
        let parts = RoomParts(mqttDevices: [MQTTDeviceSource(name: "bridge", topic: "clinic/room-2/ox", source: profile.mqtt!)],
                              publisher: try RoomParts(config: config, outbox: StoreOutbox(store: store)).publisher)
        let agent = RoomAgent(clock: ScaledClock(speed: 10), profile: .clinicDefault,
                              identity: RoomIdentity(site: "north", room: "room-2"), store: store, output: { _ in })
        await agent.publish(to: parts.publisher!)
        let room = Task { try await parts.run(agent) }
        defer { room.cancel() }
        // Commands are not retained: send them once the room is on the broker (and subscribed), not after a guess.
        #expect(await station.wait(seconds: 20) { $0.messages(on: "\(Self.base)/status").last?.text == "online" })
        try await Task.sleep(for: .milliseconds(300))

        func command(_ verb: String, _ payload: String) async throws -> [String: Any] {
            let results = "\(Self.base)/cmd/\(verb)/result"
            let before = station.objects(on: results).count
            try await station.send("\(Self.base)/cmd/\(verb)", payload)
            await station.wait(seconds: 5) { $0.objects(on: results).count > before }
            return station.objects(on: results).last ?? [:]
        }
        #expect(try await command("start", #"{"request":"r1","role":"nurse","patient_reference":"PT-7"}"#)["ok"] as? Bool == true)
        #expect(try await command("dose", #"{"request":"r2","role":"nurse"}"#)["ok"] as? Bool == true)

        let device = Task {
            while !Task.isCancelled {
                try? await station.send("clinic/room-2/ox", #"{"deviceId":"ox-1","vitals":{"spO2":80,"heartRate":64}}"#)
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { device.cancel() }
        let alarmsTopic = "\(Self.base)/alarms"
        #expect(await station.wait(seconds: 10) { s in s.objects(on: alarmsTopic).contains { $0["condition"] as? String == "spo2_low" } })
        let raised = try #require(station.objects(on: alarmsTopic).first { $0["condition"] as? String == "spo2_low" })
        #expect(raised["priority"] as? String == "high")
        #expect(raised["vital"] as? String == "spo2" && raised["value"] as? Double == 80)
        #expect(station.objects(on: "\(Self.base)/session").last?["patient_reference"] as? String == "PT-7",
                "the session carries the opaque reference it was started with, and nothing more of the patient")
        let id = try #require(raised["id"] as? String)

        let ack = try await command("ack", #"{"request":"r3","role":"nurse","alarm":"\#(id)"}"#)
        #expect(ack["ok"] as? Bool == true && ack["request"] as? String == "r3", "\(ack)")
        #expect(await station.wait(seconds: 5) { s in s.objects(on: alarmsTopic).contains { $0["id"] as? String == id && $0["state"] as? String == "acknowledged" && $0["by"] as? String == "nurse" } })
        let audit = try store.auditLog()
        #expect(audit.contains { $0.action == "ack" && $0.detail == id && $0.role == "nurse" && $0.source == "mqtt" })

        device.cancel()
        #expect(try await command("stop", #"{"request":"r4","role":"nurse"}"#)["ok"] as? Bool == true)
        #expect(await station.wait(seconds: 10) { !$0.messages(on: "\(Self.base)/summary").isEmpty })
    }

    @Test("Malformed, unknown and refused commands get a reason on …/result and change nothing")
    func refusedCommands() async throws {
        let broker = try Broker()
        let station = try await Station(port: broker.port)
        let (store, agent, room) = try await Self.roomOnBroker(port: broker.port)
        defer { room.cancel() }
        // The room subscribes before it says it is online: once it is, a command is heard (CI
        // once sent the first one after a fixed 500 ms, before the room was there).
        #expect(await station.wait(seconds: 20) { $0.messages(on: "\(Self.base)/status").last?.text == "online" })

        let cases: [(verb: String, payload: String, reason: String)] = [
            ("reboot", "{}", "unknown command \"reboot\""),
            ("ack", "{not json", "the payload is not a JSON object"),
            ("ack", #"{"role":"nurse"}"#, "ack needs the alarm's id"),
            ("dose", #"{"role":"janitor"}"#, "role \"janitor\" is not one of"),
            ("start", #"{"patient_reference":"Jane Doe"}"#, "never a name"),
            ("start", #"{"volume":11}"#, "unknown field \"volume\""),
            ("dose", #"{"request":"r9"}"#, "no session is running"),
            // The clinic's table, checked in the core for every channel.
            ("ack", #"{"role":"doula","alarm":"A1"}"#, "a doula may not respond to alarms"),
            ("pause", #"{"role":"doula","alarm":"A1"}"#, "a doula may not respond to alarms"),
            ("start", #"{"role":"provider"}"#, "a provider may not run the session"),
            // The station told its nurse it was not done: arriving late, it never is.
            ("stop", #"{"role":"nurse","expires_at":"2020-01-01T00:00:00Z"}"#, "the command expired on its way"),
            ("stop", #"{"role":"nurse","expires_at":"soon"}"#, "expires_at must be a time"),
        ]
        for (verb, payload, reason) in cases {
            let topic = "\(Self.base)/cmd/\(verb)/result"
            let before = station.objects(on: topic).count
            try await station.send("\(Self.base)/cmd/\(verb)", payload)
            #expect(await station.wait(seconds: 5) { $0.objects(on: topic).count > before }, "\(verb) \(payload) got an answer")
            let result = station.objects(on: topic).last ?? [:]
            #expect(result["ok"] as? Bool == false)
            #expect((result["error"] as? String)?.contains(reason) == true, "\(verb) \(payload): \(result)")
        }
        #expect(await agent.phase == .baseline)
        #expect(try store.sessions().isEmpty, "no session was started")
        let audit = try store.auditLog()
        #expect(audit.count == cases.count && audit.allSatisfy { $0.action == "refused" && $0.source == "mqtt" })
    }

    @Test("A retained command (mosquitto_pub -r) is refused when the room connects, answered, audited and cleared, never applied")
    func retainedCommandIsNotReplayed() async throws {
        let broker = try Broker()
        let station = try await Station(port: broker.port)
        // Sent before the room is there: the broker hands it over on subscribing, flagged retained,
        // as it would again after every reconnect.
        try await station.client.publish("\(Self.base)/cmd/start", #"{"request":"r-old","role":"nurse"}"#, retain: true)
        let (store, agent, room) = try await Self.roomOnBroker(port: broker.port)
        defer { room.cancel() }

        let results = "\(Self.base)/cmd/start/result"
        #expect(await station.wait(seconds: 10) { !$0.objects(on: results).isEmpty }, "the retained start got an answer")
        let result = station.objects(on: results).first ?? [:]
        #expect(result["ok"] as? Bool == false && result["request"] as? String == "r-old", "\(result)")
        #expect((result["error"] as? String)?.contains("retained") == true, "\(result)")
        let session = await agent.sessionID
        #expect(await agent.phase == .baseline && session == nil, "no session was started")
        let audit = try store.auditLog()
        #expect(audit.count == 1 && audit.first?.action == "refused" && audit.first?.role == "nurse" && audit.first?.source == "mqtt",
                "\(audit)")
        #expect(audit.first?.detail?.hasPrefix("start: ") == true && audit.first?.detail?.contains("retained") == true, "\(audit)")

        // Cleared from the broker: a newcomer gets the room's retained status, and no retained start with it.
        let newcomer = try await Station(port: broker.port, filter: "\(Self.base)/#")
        #expect(await newcomer.wait(seconds: 10) { $0.messages(on: "\(Self.base)/status").contains { $0.retained } })
        #expect(!newcomer.messages(on: "\(Self.base)/cmd/start").contains { $0.retained },
                "the broker still keeps the retained start: \(newcomer.messages(on: "\(Self.base)/cmd/start").map(\.text))")
        #expect(station.objects(on: results).count == 1, "answered once; the room's own clearing is not a command")
    }

    /// Room north/room-2 on the broker, on a hand-driven clock, with an in-memory store.
    @Test("A room restarted over a latched high desaturation publishes it as active again: the station's desk keeps it, and can acknowledge it")
    func restartRepublishesLatchedAlarms() async throws {
        let broker = try Broker()
        let station = try await Station(port: broker.port)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-republish-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vigil.sqlite").path
        let clock = ManualClock()
        let first = RoomAgent(clock: clock, profile: .clinicDefault, identity: RoomIdentity(site: "north", room: "room-2"),
                              store: try Store(path: path), output: { _ in })
        try await first.perform(.startSession(by: .doula, patientReference: nil))
        for _ in 0..<12 {
            clock.advance(by: .seconds(1))
            await first.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, 82, .valid)], deviceTime: nil)))
        }
        let alarm = try #require(await first.activeAlarms.first { $0.condition == "spo2_low" && $0.priority == .high })
        await first.flushReadings()

        // The restart, as vigil run does it: on the broker first, then the session resumed.
        let store = try Store(path: path)
        let config = VigilConfig(site: "north", room: "room-2", mqtt: MQTTSettings(host: "127.0.0.1", port: broker.port))
        let parts = try RoomParts(config: config, outbox: StoreOutbox(store: store))
        let second = RoomAgent(clock: clock, profile: .clinicDefault, identity: RoomIdentity(site: "north", room: "room-2"),
                               store: store, output: { _ in })
        await second.publish(to: parts.publisher!)
        _ = try await second.resumeUnfinishedSession()
        let room = Task { try await parts.run(second) }
        defer { room.cancel() }
        #expect(await station.wait(seconds: 20) { s in
            let lists = s.objects(on: "\(Self.base)/alarms/active").compactMap { $0["alarms"] as? [[String: Any]] }
            return lists.last?.contains { $0["id"] as? String == alarm.id && $0["priority"] as? String == "high" } == true
        }, "the retained active list after the restart: \(station.objects(on: "\(Self.base)/alarms/active").last ?? [:])")
    }

    static func roomOnBroker(port: Int) async throws -> (Store, RoomAgent<ManualClock>, Task<Void, any Error>) {
        let store = try Store(queue: try .init())
        let config = VigilConfig(site: "north", room: "room-2", mqtt: MQTTSettings(host: "127.0.0.1", port: port))
        let parts = try RoomParts(config: config, outbox: StoreOutbox(store: store))
        let agent = RoomAgent(clock: ManualClock(), profile: .clinicDefault,
                              identity: RoomIdentity(site: "north", room: "room-2"), store: store, output: { _ in })
        await agent.publish(to: parts.publisher!)
        return (store, agent, Task { try await parts.run(agent) })
    }
}
