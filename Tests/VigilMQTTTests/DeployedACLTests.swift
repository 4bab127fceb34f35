import Foundation
import Testing
import VigilMQTT
import VigilTestSupport

/// `deploy/mosquitto/vigil.acl` on a real mosquitto: each room writes only its own topics.
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
        let broker = try Broker(security: .users(["room-2": "pw-room-2", "room-3": "pw-room-3", "station": "pw-station"], aclFile: Self.acl))
        let station = try await login(broker, "station")
        let room2 = try await login(broker, "room-2")
        let room3 = try await login(broker, "room-3")
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
}
