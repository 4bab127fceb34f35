import Foundation
import GRDB
import Testing
import VigilCore
import VigilMQTT
import VigilStation
import VigilTestSupport

/// The station on a real mosquitto, in-process: rooms here are MQTT clients publishing what a
/// room publishes (`RoomPayloads`), retained as a room retains it.
@Suite("The station on the broker")
struct ClinicStationTests {
    static func connected(_ port: Int, _ id: String) async throws -> MQTTClient {
        let client = try MQTTClient(options: MQTTOptions(host: "127.0.0.1", port: port, clientID: id, reconnectDelay: (1, 1)))
        try client.start()
        for await event in client.events { if case .connected = event { break } }
        return client
    }

    /// A room that has been running a while: online, in session, a reading, a high alarm.
    static func publishRoom(_ name: String, on client: MQTTClient, alarm: Bool) async throws {
        let topics = RoomTopics(site: "north", room: name)
        let payloads = RoomPayloads(topics: topics)
        try await client.publish(topics.status, "online", retain: true)
        let state = SessionState(time: Date(), id: "S-\(name)", status: "running", phase: .peak, startedAt: Date(), doseAt: Date(),
                                 sinceDose: 2400, patientReference: nil)
        try await client.publish(topics.session, payloads.session(state), retain: true)
        try await client.publish(topics.vitals(.spo2), payloads.reading(Reading(time: Date(), vital: .spo2, value: 96, device: "oximeter")), retain: true)
        let alarms = alarm ? [Alarm(id: "A1", kind: .physiological, condition: "spo2_low", vital: .spo2, device: "oximeter", priority: .high,
                                    value: 84, limit: 85, raisedAt: Date())] : []
        try await client.publish(topics.activeAlarms, payloads.activeAlarms(alarms, at: Date()), retain: true)
    }

    static func station(_ port: Int) throws -> ClinicStation<SystemClock> {
        try ClinicStation(options: MQTTOptions(host: "127.0.0.1", port: port, clientID: "station-test", reconnectDelay: (1, 1)),
                          site: "north", archive: try SQLiteArchive(queue: DatabaseQueue()), clock: SystemClock())
    }

    static func wait(_ seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }

    @Test("A restarted station has every tile back from the retained topics within a second")
    func restartRebuildsTheBoard() async throws {
        let broker = try Broker()
        let rooms = try await Self.connected(broker.port, "rooms")
        defer { rooms.stop() }
        for i in 1...3 { try await Self.publishRoom("room-\(i)", on: rooms, alarm: i == 2) }
        let station = try Self.station(broker.port)
        let running = Task { await station.run() }
        defer { running.cancel() }
        // From the moment the broker has the station again: what it hands over then is the board.
        #expect(await Self.wait(10) { await station.snapshot().brokerConnected })
        let started = ContinuousClock.now
        let rebuilt = await Self.wait(5) {
            let board = await station.snapshot()
            return board.tiles.count == 3 && board.tiles.allSatisfy { $0.session?.isRunning == true && $0.vitals["spo2"] != nil }
                && board.tiles.first { $0.room.room == "room-2" }?.alarms.count == 1
        }
        let took = ContinuousClock.now - started
        #expect(rebuilt)
        #expect(took < .seconds(1), "the board took \(took)")
        #expect(await station.snapshot().loudest == .high, "room 2's alarm sounds at the station at once")
    }

    @Test("The broker going away shows every tile as station disconnected and sounds; back, the tiles are live again")
    func brokerAway() async throws {
        let broker = try Broker()
        let rooms = try await Self.connected(broker.port, "rooms")
        defer { rooms.stop() }
        for i in 1...2 { try await Self.publishRoom("room-\(i)", on: rooms, alarm: false) }
        let station = try Self.station(broker.port)
        let running = Task { await station.run() }
        defer { running.cancel() }
        #expect(await Self.wait(5) { await station.snapshot().tiles.count == 2 })
        #expect(await station.snapshot().loudest == nil, "two quiet rooms")

        broker.stop()
        #expect(await Self.wait(15) { await !station.snapshot().brokerConnected })
        let away = await station.snapshot()
        #expect(away.loudest == .high, "a station that cannot see the rooms is an alarm in itself")
        #expect(away.json.components(separatedBy: #""link":"station_disconnected""#).count - 1 == 2, "\(away.json)")
        #expect(!away.json.contains(#""link":"ok""#), "no tile looks like a room that is fine")

        try broker.start()
        #expect(await Self.wait(15) { await station.snapshot().brokerConnected })
        #expect(await station.snapshot().json.components(separatedBy: #""link":"ok""#).count - 1 == 2)
    }

    @Test("Garbage on a room's topics is counted and never becomes a vital")
    func garbageIsCounted() async throws {
        let broker = try Broker()
        let rooms = try await Self.connected(broker.port, "rooms")
        defer { rooms.stop() }
        let station = try Self.station(broker.port)
        let running = Task { await station.run() }
        defer { running.cancel() }
        #expect(await Self.wait(10) { await station.snapshot().brokerConnected })
        try await Task.sleep(for: .milliseconds(200))  // the SUBACK
        try await rooms.publish("vigil/north/room-9/vitals/spo2", "97")
        try await rooms.publish("vigil/north/room-9/vitals/spo2", #"{"schema":9,"site":"north","room":"room-9","vital":"spo2","value":97}"#)
        try await rooms.publish("vigil/north/room-9/weather", #"{"schema":1,"site":"north","room":"room-9"}"#)
        #expect(await Self.wait(5) { station.statistics.refused == 3 }, "\(station.statistics)")
        #expect(await station.snapshot().tiles.isEmpty, "no tile from garbage")
    }

    @Test("An archive that hangs (a PostgreSQL across a dead WAN link) never holds back the next alarm on the board")
    func hungArchive() async throws {
        let broker = try Broker()
        let rooms = try await Self.connected(broker.port, "rooms")
        defer { rooms.stop() }
        let station = try ClinicStation(options: MQTTOptions(host: "127.0.0.1", port: broker.port, clientID: "station-hung", reconnectDelay: (1, 1)),
                                        site: "north", archive: HungArchive(), clock: SystemClock())
        let running = Task { await station.run() }
        defer { running.cancel() }
        #expect(await Self.wait(5) { await station.snapshot().brokerConnected })
        try await Task.sleep(for: .milliseconds(200))  // the SUBACK
        let topics = RoomTopics(site: "north", room: "room-1")
        let payloads = RoomPayloads(topics: topics)
        for seq in 1...5 {  // alarm events the archive will never take
            let event = AlarmEvent(time: Date(), id: "A\(seq)", seq: 1, kind: .physiological, condition: "spo2_low", vital: .spo2,
                                   device: "oximeter", priority: .medium, state: .raised, value: 88, limit: 90, phase: .peak,
                                   sinceDose: 1500, by: nil, detail: nil, worstValue: 88)
            try await rooms.publish(topics.alarms, payloads.alarmEvent(event, session: "S1"))
        }
        try await Self.publishRoom("room-1", on: rooms, alarm: true)
        #expect(await Self.wait(2) { await station.snapshot().tiles.first?.alarms.first?.id == "A1" },
                "the board is not held back by the archive")
        #expect(station.statistics.received >= 9, "the five alarm events came first, and were taken: \(station.statistics)")
    }
}

extension ClinicStationTests {
    @Test("An acknowledgement from the desk to a room that does not answer is a 504 after 5 s; to an offline room it is refused at once, nothing sent")
    func roomsThatCannotAnswer() async throws {
        let broker = try Broker()
        let rooms = try await Self.connected(broker.port, "rooms")
        defer { rooms.stop() }
        let station = try Self.station(broker.port)
        let running = Task { await station.run() }
        defer { running.cancel() }
        #expect(await Self.wait(5) { await station.snapshot().brokerConnected })
        try await Self.publishRoom("room-1", on: rooms, alarm: true)  // nothing serves its commands
        #expect(await Self.wait(5) { await station.snapshot().tiles.first?.alarms.first?.id == "A1" })
        let started = ContinuousClock.now
        #expect(await station.respond("ack", alarm: "A1", in: RoomKey(site: "north", room: "room-1"), by: .nurse) == .noAnswer)
        #expect(ContinuousClock.now - started >= .seconds(5) && ContinuousClock.now - started < .seconds(8))
        #expect(await station.respond("ack", alarm: "A9", in: RoomKey(site: "north", room: "room-1"), by: .nurse) == .unknown("north/room-1 has no active alarm A9"))

        try await rooms.publish(RoomTopics(site: "north", room: "room-1").status, "offline", retain: true)
        #expect(await Self.wait(5) { await station.snapshot().tiles.first?.status == .offline })
        let outcome = await station.respond("ack", alarm: "A1", in: RoomKey(site: "north", room: "room-1"), by: .nurse)
        #expect(outcome == .unreachable("room-1 is offline: nothing was sent"))
    }
}

/// An archive whose writes never return.
private struct HungArchive: StationArchive {
    func keep(_ event: ArchivedEvent) async throws -> Bool {
        try await Task.sleep(for: .seconds(3600))
        return true
    }
    func sessions(since: Date?) async throws -> [ArchivedSession] { [] }
    func events(of room: RoomKey, session: String) async throws -> [ArchivedEvent] { [] }
    func count(_ kind: ArchivedEvent.Kind) async throws -> Int { 0 }
    func close() async {}
}
