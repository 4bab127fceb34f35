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
}

/// Messages of a subscription as `topic payload` lines, gathered in the background so that a
/// test waits with a deadline instead of forever when the broker drops what it expected.
final class Collected: Sendable {
    private final class Lines: Sendable { let value = Mutex<[String]>([]) }
    private let lines = Lines()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<MQTTMessage>) {
        let lines = lines
        task = Task { for await m in stream { lines.value.withLock { $0.append("\(m.topic) \(m.text)") } } }
    }

    deinit { task.cancel() }

    var messages: [String] { lines.value.withLock { $0 } }

    /// The messages once there are `count` of them, or whatever came within `seconds`.
    func wait(for count: Int, seconds: Double = 5) async -> [String] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while messages.count < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return messages
    }
}
