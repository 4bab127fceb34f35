import Foundation
import GRDB
import Synchronization
import Testing
import VigilCore
import VigilMQTT
import VigilStation
import VigilTestSupport

/// `deploy/mosquitto/bridge.conf` between two real brokers: the clinic's, with the deployed ACL,
/// bridged over TLS to the group's, where one station follows every clinic. The bridge is the
/// shipped file's every setting; only the group broker's address, the bridge's password and the
/// CA are the test's.
@Suite("The clinic's bridge to the group broker")
struct BridgeTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/mosquitto")
    /// The site bridge.conf is written for.
    static let site = "north-clinic"

    /// bridge.conf's settings as shipped, pointed at `group`. `restart_timeout 1` is the test's
    /// own: a first attempt that fails on a loaded machine is tried again at once, not in 5–30 s.
    static func bridge(to group: Broker, password: String) throws -> [String] {
        let shipped = try String(contentsOfFile: deploy.appendingPathComponent("bridge.conf").path, encoding: .utf8)
        let settings = shipped.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(settings.filter { $0.hasPrefix("topic ") }.count >= 7, "bridge.conf has its topics")
        return settings.map { line in
            switch line.prefix(while: { $0 != " " }) {
            case "address": "address 127.0.0.1:\(group.port)"
            case "remote_password": "remote_password \(password)"
            case "bridge_cafile": "bridge_cafile \(group.caFile ?? "")"
            default: line
            }
        } + ["restart_timeout 1"]
    }

    /// The group broker's ACL: the bridge's lines as bridge.conf's comment gives them, and the
    /// group station's.
    static func groupACL(in folder: URL) throws -> String {
        let shipped = try String(contentsOfFile: deploy.appendingPathComponent("bridge.conf").path, encoding: .utf8)
        let bridgeLines = shipped.split(separator: "\n").filter { $0.hasPrefix("#   user ") || $0.hasPrefix("#   topic ") }
            .map { String($0.dropFirst(4)) }
        #expect(bridgeLines.first == "user \(site)-bridge", "bridge.conf documents the group broker's ACL for its login")
        let lines = bridgeLines + ["user group-station", "topic read vigil/#", "topic read vigil-bridge/#", "topic write vigil/+/+/cmd/+"]
        let file = folder.appendingPathComponent("group.acl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A client logged in, or an error within 15 s.
    static func login(_ broker: Broker, _ user: String, tls: Bool = false) async throws -> MQTTClient {
        let client = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "\(user)-\(UUID().uuidString.prefix(6))",
                                                         username: user, password: "pw-\(user)",
                                                         tls: tls ? broker.caFile.map { MQTTOptions.TLS(caFile: $0) } : nil))
        try client.start()
        let events = client.events
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events {
                    switch event {
                    case .connected: return
                    case .refused(let reason): throw MQTTError("\(user) refused: \(reason)")
                    case .disconnected: continue
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(15))
                throw MQTTError("\(user) could not connect within 15 s")
            }
            try await group.next()
            group.cancelAll()
        }
        return client
    }

    @Test("Room-2's state, alarms, summary and answers reach the group's station through the bridge; the group's acknowledgement reaches the room; its live vitals stay in the clinic")
    func roomReachesTheGroup() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bridge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let room = "\(Self.site)/room-2"
        let group = try Broker(security: .users(["\(Self.site)-bridge": "pw-bridge", "group-station": "pw-group-station"],
                                                aclFile: try Self.groupACL(in: folder)), tls: true)
        let clinic = try Broker(security: .users([room: "pw-\(room)", "station": "pw-station"],
                                                 aclFile: Self.deploy.appendingPathComponent("vigil.acl").path),
                                extraConfig: try Self.bridge(to: group, password: "pw-bridge"))

        // The group's vigil station, following every site, over TLS; and an MQTT client beside it.
        let board = try ClinicStation(options: MQTTOptions(host: "127.0.0.1", port: group.port, clientID: "group-vigil-station",
                                                           username: "group-station", password: "pw-group-station",
                                                           tls: group.caFile.map { MQTTOptions.TLS(caFile: $0) }, reconnectDelay: (1, 1)),
                                      site: nil, archive: try SQLiteArchive(queue: DatabaseQueue()), clock: SystemClock())
        let following = Task { await board.run() }
        defer { following.cancel() }
        // The group's station, over TLS, hears the clinic's bridge come up.
        let groupStation = try await Self.login(group, "group-station", tls: true)
        let clinicStation = try await Self.login(clinic, "station")
        defer { groupStation.stop(); clinicStation.stop() }
        let atGroup = Collected(groupStation.subscribe("vigil/#"))
        let bridgeState = Collected(groupStation.subscribe("vigil-bridge/#"))
        let atClinic = Collected(clinicStation.subscribe("vigil/#"))
        #expect(await bridgeState.wait(seconds: 20) { $0.contains("vigil-bridge/\(Self.site)/state 1") },
                "the bridge did not connect: \(bridgeState.messages)\n\(clinic.log.suffix(1500))")

        // Room-2 in its peak, with a desaturation, on the clinic's broker as the agent publishes it.
        let topics = RoomTopics(site: Self.site, room: "room-2")
        let outbox = MemoryOutbox()
        let publisher = try RoomPublisher(options: MQTTOptions(host: "127.0.0.1", port: clinic.port, clientID: "vigil-\(Self.site)-room-2",
                                                               username: room, password: "pw-\(room)", reconnectDelay: (1, 1)),
                                          topics: topics, outbox: outbox)
        let commands = Collected(publisher.commands())
        let dose = Date().addingTimeInterval(-1500)
        func state(_ phase: Phase) -> SessionState {
            SessionState(time: Date(), id: "S1", status: "running", phase: phase, startedAt: dose.addingTimeInterval(-600),
                         doseAt: dose, sinceDose: Date().timeIntervalSince(dose), patientReference: "P-0042")
        }
        let desaturation = AlarmEvent(time: Date(), id: "A1", seq: 1, kind: .physiological, condition: "spo2_low", vital: .spo2,
                                      device: "oximeter", priority: .medium, state: .raised, value: 88, limit: 90, phase: .peak,
                                      sinceDose: 1500, by: nil, detail: nil, worstValue: 87)
        let active = Alarm(id: "A1", kind: .physiological, condition: "spo2_low", vital: .spo2, device: "oximeter",
                           priority: .medium, value: 88, limit: 90, raisedAt: desaturation.time)
        let readings = (0..<60).map { Reading(time: dose.addingTimeInterval(Double($0) * 30), vital: .spo2, value: 97, device: "oximeter") }
        let summary = SessionSummary.compute(readings: readings, alarms: [desaturation], events: [], startedAt: dose.addingTimeInterval(-600),
                                             doseAt: dose, endedAt: Date(), timeline: PhaseTimeline())
        publisher.retain(topics.session, publisher.payloads.session(state(.peak)), qos: 1)
        publisher.retain(topics.activeAlarms, publisher.payloads.activeAlarms([active], at: Date()), qos: 1)
        outbox.add(topics.alarms, publisher.payloads.alarmEvent(desaturation, session: "S1"), eventID: RoomPayloads.eventID(desaturation))
        outbox.add(topics.summary, try publisher.payloads.summary(summary, session: "S1"), eventID: RoomPayloads.eventID(summaryOf: "S1"))
        let publishing = Task { await publisher.run() }
        defer { publishing.cancel() }

        func object(_ subtopic: String) -> [String: Any]? {
            atGroup.received.last { $0.topic == "\(topics.base)/\(subtopic)" }
                .flatMap { (try? JSONSerialization.jsonObject(with: Data($0.payload))) as? [String: Any] }
        }
        let forwarded = ["status", "session", "alarms/active", "alarms", "summary"].map { "\(topics.base)/\($0)" }
        #expect(await atGroup.wait(seconds: 20) { lines in forwarded.allSatisfy { t in lines.contains { $0.hasPrefix(t + " ") } } },
                "at the group: \(atGroup.messages.map { $0.prefix(60) })\n\(clinic.log.suffix(1500))")
        #expect(atGroup.messages.contains("\(topics.status) online"))
        #expect(object("session")?["phase"] as? String == "peak")
        #expect((object("alarms/active")?["alarms"] as? [[String: Any]])?.first?["id"] as? String == "A1")
        #expect(object("alarms")?["event_id"] as? String == "A1/1")
        #expect(object("summary")?["event_id"] as? String == "summary/S1")

        // The group's vigil station shows the clinic's room-2: its phase, its alarm, and keeps its alarm event and summary.
        let key = RoomKey(site: Self.site, room: "room-2")
        var shown = false
        for _ in 0..<100 where !shown {
            let tile = await board.snapshot().tiles.first { $0.room == key }
            shown = tile?.session?.phase == "peak" && tile?.alarms.first?.id == "A1" && tile?.status == .online
            if !shown { try await Task.sleep(for: .milliseconds(100)) }
        }
        let seen = await board.snapshot().json
        #expect(shown, "the group's station board: \(seen)")
        #expect(seen.contains(#""site":"north-clinic","room":"room-2""#))
        var kept = (0, 0)
        for _ in 0..<50 where kept != (1, 1) {  // kept off the board's path: a moment later
            kept = (try await board.archive.count(.alarm), try await board.archive.count(.summary))
            if kept != (1, 1) { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(kept == (1, 1), "one alarm event and one summary kept at the group")

        // The group's station acknowledges the desaturation; the command reaches the room, whose answer goes back.
        try await groupStation.publish(topics.command("ack"), "{\"request\":\"g-1\",\"alarm\":\"A1\"}")
        #expect(await commands.wait { $0.contains("\(topics.command("ack")) {\"request\":\"g-1\",\"alarm\":\"A1\"}") },
                "the room heard: \(commands.messages)")
        publisher.send(topics.commandResult("ack"), publisher.payloads.commandResult(request: "g-1", verb: "ack", error: nil, at: Date()))
        #expect(await atGroup.wait { $0.contains { $0.hasPrefix("\(topics.commandResult("ack")) ") && $0.contains("\"g-1\"") } },
                "no answer at the group: \(atGroup.messages.suffix(3))")

        // A live SpO2, then the session moving on: the clinic's station sees both, the group only the session.
        let spo2 = Reading(time: Date(), vital: .spo2, value: 96, device: "oximeter")
        publisher.retain(topics.vitals(.spo2), publisher.payloads.reading(spo2), qos: 0)
        publisher.retain(topics.session, publisher.payloads.session(state(.recovery)), qos: 1)
        #expect(await atClinic.wait { $0.contains { $0.hasPrefix("\(topics.vitals(.spo2)) ") } }, "the vital reached the clinic's station")
        // Published after the vital on the same connection: once the group has it, a forwarded vital would be there.
        #expect(await atGroup.wait { _ in object("session")?["phase"] as? String == "recovery" })
        #expect(!atGroup.messages.contains { $0.contains("/vitals/") }, "a live vital left the clinic")

        // A station that joins the group later sees room-2 online at once: retained over the bridge.
        let lateStation = try await Self.login(group, "group-station", tls: true)
        defer { lateStation.stop() }
        let late = Collected(lateStation.subscribe("\(topics.status)"))
        #expect(await late.wait { !$0.isEmpty })
        let status = late.received.first
        #expect(status?.text == "online")
        #expect(status?.retained == true, "the group broker keeps the room's status retained")
    }

    @Test("A command the group's station sends while the clinic is cut off is never replayed at the room once the link is back")
    func noStaleCommands() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bridge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let room = "\(Self.site)/room-2"
        let group = try Broker(security: .users(["\(Self.site)-bridge": "pw-bridge", "group-station": "pw-group-station"],
                                                aclFile: try Self.groupACL(in: folder)), tls: true)
        let clinic = try Broker(security: .users([room: "pw-\(room)"], aclFile: Self.deploy.appendingPathComponent("vigil.acl").path),
                                persistent: true, extraConfig: try Self.bridge(to: group, password: "pw-bridge"))
        let groupStation = try await Self.login(group, "group-station", tls: true)
        defer { groupStation.stop() }
        let bridgeState = Collected(groupStation.subscribe("vigil-bridge/#"))
        let state = "vigil-bridge/\(Self.site)/state"
        #expect(await bridgeState.wait(seconds: 20) { $0.contains("\(state) 1") }, "\(clinic.log.suffix(1500))")

        // The room's ears keep their session on the clinic's broker here (the agent's do not), so that
        // a command the group's broker held back would reach them, whichever of them reconnects first.
        let ears = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: clinic.port, clientID: "room-2-ears",
                                                       username: room, password: "pw-\(room)", reconnectDelay: (1, 1), cleanSession: false))
        let heard = Collected(ears.subscribe("vigil/\(room)/cmd/+", qos: 1))
        try ears.start()
        defer { ears.stop() }
        #expect(await ears.waitConnected())

        // The clinic's broker goes down: the group sees the link drop, and its station sends a stop meanwhile.
        clinic.stop()
        #expect(await bridgeState.wait { $0.last == "\(state) 0" }, "\(bridgeState.messages)")
        #expect(await ears.waitConnected(false))
        try await groupStation.publish("vigil/\(room)/cmd/stop", "{\"request\":\"g-stale\"}")
        try clinic.start()
        #expect(await bridgeState.wait(seconds: 20) { $0.last == "\(state) 1" }, "\(bridgeState.messages)")
        #expect(await ears.waitConnected())

        // The link is back: a new command arrives, the stop sent into the outage never does.
        try await groupStation.publish("vigil/\(room)/cmd/ack", "{\"request\":\"g-2\",\"alarm\":\"A1\"}")
        #expect(await heard.wait { $0.contains { $0.contains("g-2") } }, "\(heard.messages)")
        #expect(!heard.messages.contains { $0.contains("g-stale") }, "a command from the outage reached the room: \(heard.messages)")
    }
}

extension MQTTClient {
    /// Waits (polling) until the client is connected, or with `false` until it has noticed it is
    /// not, at most `seconds`; whether it is so.
    func waitConnected(_ connected: Bool = true, seconds: Double = 15) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while isConnected != connected, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return isConnected == connected
    }
}

/// The room's outbox in memory (the agent's is its SQLite store, which this target does not link).
final class MemoryOutbox: Outbox {
    private let rows = Mutex<(next: Int64, pending: [OutboxMessage])>((1, []))

    func add(_ topic: String, _ payload: String, eventID: String) {
        rows.withLock { r in
            r.pending.append(OutboxMessage(id: r.next, topic: topic, payload: payload, eventID: eventID))
            r.next += 1
        }
    }

    func pendingMessages(limit: Int) throws -> [OutboxMessage] { rows.withLock { Array($0.pending.prefix(limit)) } }

    func removeMessage(id: Int64) throws { rows.withLock { $0.pending.removeAll { $0.id == id } } }
}
