import Foundation
import Testing
import VigilAgent
import VigilCore
import VigilDevices
import VigilMQTT
import VigilStore
import VigilTestSupport

/// The clinic's broker goes away while the room keeps raising alarms.
@Suite("Broker outages")
struct BrokerOutageTests {
    /// One desaturation on the hand-driven clock: SpO2 88 % held past the baseline's 30 s
    /// delay raises an alarm; 97 % clears it.
    func desaturation(_ agent: RoomAgent<ManualClock>, _ clock: ManualClock) async {
        for value in [88.0, 88, 88, 88] {
            await agent.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, value, .valid)], deviceTime: nil)))
            clock.advance(by: .seconds(11))
        }
        await agent.handle(.message(device: "oximeter", .values([DeviceValue(.spo2, 97, .valid)], deviceTime: nil)))
        clock.advance(by: .seconds(2))
    }

    @Test("Alarms raised while the broker is down wait in the outbox and all arrive, in order, once it is back")
    func outage() async throws {
        let broker = try Broker(persistent: true)
        // A station with a persistent session: the broker queues for it while it reconnects.
        let station = try await Station(port: broker.port, filter: "vigil/north/room-2/alarms", persistent: true)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-outage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("vigil.sqlite").path)
        let clock = ManualClock()
        let agent = RoomAgent(clock: clock, profile: .clinicDefault, identity: RoomIdentity(site: "north", room: "room-2"),
                              store: store, output: { _ in })
        var options = try MQTTSettings(host: "127.0.0.1", port: broker.port).options(site: "north", room: "room-2")
        options.reconnectDelay = (1, 2)
        let publisher = try RoomPublisher(options: options, topics: RoomTopics(site: "north", room: "room-2"),
                                          outbox: StoreOutbox(store: store))
        await agent.publish(to: publisher)
        let publishing = Task { await publisher.run() }
        defer { publishing.cancel() }
        try await agent.perform(.startSession(by: .doula, patientReference: nil))

        for _ in 0..<3 { await desaturation(agent, clock) }
        let before = try store.alarmEvents(session: try #require(await agent.sessionID)).count
        #expect(before >= 6)
        #expect(await station.wait(seconds: 10) { $0.messages.count >= before }, "the first alarms arrive while the broker is up")

        broker.stop()
        try await Task.sleep(for: .milliseconds(300))
        for _ in 0..<5 { await desaturation(agent, clock) }
        let stored = try store.alarmEvents(session: try #require(await agent.sessionID))
        #expect(stored.count >= before + 10)
        #expect(try store.outboxCount() >= 10, "the outage's alarm events wait in the outbox")
        try await Task.sleep(for: .seconds(2))

        try broker.start()
        let all = stored.map(RoomPayloads.eventID)
        func received(_ s: Station) -> [String] {
            var seen = Set<String>()
            // A receiver drops what it has seen: a message sent just before an outage may come twice.
            return s.objects(on: "vigil/north/room-2/alarms").compactMap { $0["event_id"] as? String }.filter { seen.insert($0).inserted }
        }
        #expect(await station.wait(seconds: 30) { received($0).count >= all.count }, "\(received(station).count) of \(all.count)")
        #expect(received(station) == all, "every alarm event, in the order it happened")
        #expect(try store.outboxCount() == 0)
    }
}
