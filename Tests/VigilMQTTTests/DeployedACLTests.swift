import Foundation
import Synchronization
import Testing
import VigilMQTT
import VigilTestSupport

/// `deploy/mosquitto/vigil.acl` on a real mosquitto: each room writes only its own topics. A
/// room's user name is `<site>/<room>`, as the ACL's header says.
@Suite("The deployed broker ACL")
struct DeployedACLTests {
    static let acl = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/mosquitto/vigil.acl").path

    func login(_ broker: Broker, _ user: String) async throws -> MQTTClient {
        let client = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "\(user)-\(UUID().uuidString.prefix(6))",
                                                         username: user, password: "pw-\(user)"))
        try client.start()
        for await event in client.events {
            switch event {
            case .connected: return client
            case .refused(let reason): throw MQTTError(reason)
            case .disconnected: continue
            }
        }
        throw MQTTError("no connection")
    }

    @Test("A room publishes its own alarms and hears its commands; it cannot write another room's topics or send commands")
    func roomsStayInTheirLane() async throws {
        let broker = try Broker(security: .users(["north/room-2": "pw-north/room-2", "north/room-3": "pw-north/room-3",
                                                  "station": "pw-station"], aclFile: Self.acl))
        let station = try await login(broker, "station")
        let room2 = try await login(broker, "north/room-2")
        let room3 = try await login(broker, "north/room-3")
        defer { station.stop(); room2.stop(); room3.stop() }
        let seen = station.subscribe("vigil/#")
        let commands = room2.subscribe("vigil/north/room-2/cmd/+")
        try await Task.sleep(for: .milliseconds(300))

        // mosquitto acknowledges a denied QoS 1 publish too, and drops it: only the receiver can tell.
        try await room3.publish("vigil/north/room-2/alarms", "forged by room-3")
        try await room2.publish("vigil/north/room-2/cmd/ack", "room-2 commanding itself")
        try await room2.publish("vigil/north/room-2/alarms", "real alarm of room-2")
        try await station.publish("vigil/north/room-2/cmd/ack", "{\"alarm\":\"A1\"}")

        var stationIterator = seen.makeAsyncIterator()
        var atStation: [String] = []
        while atStation.count < 2, let m = await stationIterator.next() { atStation.append("\(m.topic) \(m.text)") }
        #expect(atStation.contains("vigil/north/room-2/alarms real alarm of room-2"))
        #expect(atStation.contains("vigil/north/room-2/cmd/ack {\"alarm\":\"A1\"}"))
        var commandIterator = commands.makeAsyncIterator()
        #expect(await commandIterator.next()?.text == "{\"alarm\":\"A1\"}", "the room hears the station's command, not its own")
        try await Task.sleep(for: .milliseconds(300))
        try await room2.publish("vigil/north/room-2/status", "online")
        let next = await stationIterator.next()
        #expect(next?.text == "online", "nothing forged arrived in between: \(String(describing: next?.text))")
    }

    @Test("A room of one site cannot write, nor hear the commands of, another site's room of the same name")
    func sitesStayApart() async throws {
        let broker = try Broker(security: .users(["north/room-2": "pw-north/room-2", "south/room-2": "pw-south/room-2",
                                                  "station": "pw-station"], aclFile: Self.acl))
        let station = try await login(broker, "station")
        let north = try await login(broker, "north/room-2")
        let south = try await login(broker, "south/room-2")
        defer { station.stop(); north.stop(); south.stop() }
        let seen = Collected(station.subscribe("vigil/#"))
        let southCommands = Collected(south.subscribe("vigil/south/room-2/cmd/+"))
        let overheard = Collected(north.subscribe("vigil/south/room-2/cmd/+"))
        try await Task.sleep(for: .milliseconds(300))

        try await north.publish("vigil/south/room-2/alarms", "forged by north/room-2")
        try await north.publish("vigil/south/room-2/status", "offline")
        try await north.publish("vigil/north/room-2/alarms", "real alarm of north")
        try await south.publish("vigil/south/room-2/alarms", "real alarm of south")
        try await station.publish("vigil/south/room-2/cmd/ack", "{\"alarm\":\"A1\"}")
        #expect(await southCommands.wait(for: 1) == ["vigil/south/room-2/cmd/ack {\"alarm\":\"A1\"}"])
        try await south.publish("vigil/south/room-2/status", "online")

        let atStation = await seen.wait(for: 4)
        #expect(atStation.contains("vigil/north/room-2/alarms real alarm of north"), "\(atStation)")
        #expect(atStation.contains("vigil/south/room-2/alarms real alarm of south"), "\(atStation)")
        #expect(atStation.last == "vigil/south/room-2/status online", "\(atStation)")
        #expect(!atStation.contains { $0.contains("forged") || $0.hasSuffix("offline") }, "north wrote as south: \(atStation)")
        #expect(overheard.messages.isEmpty, "north heard south's command: \(overheard.messages)")
    }

    @Test("The station hears every room of every site, and all it may send is commands: it cannot forge a room's status, vitals, alarms, summary or answers")
    func stationReadsEverythingAndWritesOnlyCommands() async throws {
        let broker = try Broker(security: .users(["north/room-2": "pw-north/room-2", "south/room-3": "pw-south/room-3",
                                                  "station": "pw-station"], aclFile: Self.acl))
        let station = try await login(broker, "station")
        let north = try await login(broker, "north/room-2")
        let south = try await login(broker, "south/room-3")
        defer { station.stop(); north.stop(); south.stop() }
        let seen = Collected(station.subscribe("vigil/#"))
        let northCommands = Collected(north.subscribe("vigil/north/room-2/cmd/+"))
        try await Task.sleep(for: .milliseconds(300))  // the SUBACKs

        // Each room publishes on every topic it has; the station hears all of it.
        let subtopics = ["status", "vitals/spo2", "session", "alarms", "alarms/active", "summary", "cmd/ack/result"]
        for (room, client) in [("north/room-2", north), ("south/room-3", south)] {
            for subtopic in subtopics { try await client.publish("vigil/\(room)/\(subtopic)", "\(room) \(subtopic)") }
        }
        let expected = ["north/room-2", "south/room-3"].flatMap { room in subtopics.map { "vigil/\(room)/\($0) \(room) \($0)" } }
        let heard = await seen.wait(for: expected.count)
        #expect(Set(heard) == Set(expected), "the station missed \(Set(expected).subtracting(heard).sorted())")

        // The station writes on a room's topics: the broker acknowledges and drops every one.
        for subtopic in subtopics { try await station.publish("vigil/north/room-2/\(subtopic)", "forged by the station") }
        try await station.publish("vigil/north/room-2/cmd/ack", "{\"alarm\":\"A1\"}")
        #expect(await northCommands.wait(for: 1) == ["vigil/north/room-2/cmd/ack {\"alarm\":\"A1\"}"], "the room hears the command")
        try await north.publish("vigil/north/room-2/status", "online")
        #expect(await seen.wait { $0.last == "vigil/north/room-2/status online" }, "\(seen.messages.suffix(3))")
        let forged = seen.messages.filter { $0.hasSuffix("forged by the station") }
        #expect(forged.isEmpty, "the station wrote as a room: \(forged)")
    }

    @Test("A room cannot hear another room's commands, not even with a wildcard")
    func roomsDoNotOverhearCommands() async throws {
        let broker = try Broker(security: .users(["north/room-2": "pw-north/room-2", "north/room-3": "pw-north/room-3",
                                                  "station": "pw-station"], aclFile: Self.acl))
        let station = try await login(broker, "station")
        let room2 = try await login(broker, "north/room-2")
        let room3 = try await login(broker, "north/room-3")
        defer { station.stop(); room2.stop(); room3.stop() }
        let room2Commands = Collected(room2.subscribe("vigil/north/room-2/cmd/+"))
        let room3Commands = Collected(room3.subscribe("vigil/north/room-3/cmd/+"))
        let overheard = Collected(room3.subscribe("vigil/north/room-2/cmd/+"))
        let overheardByWildcard = Collected(room3.subscribe("vigil/+/+/cmd/+"))
        try await Task.sleep(for: .milliseconds(300))

        try await station.publish("vigil/north/room-2/cmd/ack", "{\"alarm\":\"A1\"}")
        try await station.publish("vigil/north/room-3/cmd/note", "{\"text\":\"water given\"}")
        #expect(await room2Commands.wait(for: 1) == ["vigil/north/room-2/cmd/ack {\"alarm\":\"A1\"}"])
        // Room-3's own command came after room-2's: once it is here, room-2's would have been too.
        #expect(await room3Commands.wait { $0.contains("vigil/north/room-3/cmd/note {\"text\":\"water given\"}") },
                "\(room3Commands.messages)")
        #expect(overheard.messages.isEmpty, "room-3 heard room-2's command: \(overheard.messages)")
        #expect(!overheardByWildcard.messages.contains { $0.contains("room-2") }, "\(overheardByWildcard.messages)")
    }
}

/// Messages of a subscription as `topic payload` lines, gathered in the background so that a
/// test waits with a deadline instead of forever when the broker drops what it expected.
final class Collected: Sendable {
    private final class Inbox: Sendable { let value = Mutex<[MQTTMessage]>([]) }
    private let inbox = Inbox()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<MQTTMessage>) {
        let inbox = inbox
        task = Task { for await m in stream { inbox.value.withLock { $0.append(m) } } }
    }

    deinit { task.cancel() }

    /// Every message so far, with its retained flag.
    var received: [MQTTMessage] { inbox.value.withLock { $0 } }

    var messages: [String] { received.map { "\($0.topic) \($0.text)" } }

    /// The messages once there are `count` of them, or whatever came within `seconds`.
    func wait(for count: Int, seconds: Double = 5) async -> [String] {
        await wait(seconds: seconds) { $0.count >= count }
        return messages
    }

    /// Waits (polling) until `condition` holds of the messages, at most `seconds`; whether it did.
    @discardableResult
    func wait(seconds: Double = 10, until condition: ([String]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition(messages), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return condition(messages)
    }
}
