import Foundation
import Testing
import VigilCore
import VigilMQTT

/// What the station takes from the broker, and what it refuses: never a garbled payload as a vital.
@Suite("The station reads what rooms publish")
struct RoomMessageReaderTests {
    let reader = RoomMessageReader(site: "north")
    let payloads = RoomPayloads(topics: RoomTopics(site: "north", room: "room-2"))
    let topics = RoomTopics(site: "north", room: "room-2")

    func read(_ topic: String, _ payload: String) throws -> RoomMessage {
        try reader.read(topic: topic, payload: Array(payload.utf8))
    }

    @Test("Every topic a room publishes reads back as what the room said")
    func roundTrip() throws {
        let time = Date(timeIntervalSince1970: 1_800_000_000.25)
        #expect(try read(topics.status, "offline").report == .status(online: false))
        let reading = Reading(time: time, vital: .spo2, value: 88, device: "oximeter", quality: .valid)
        guard case .vital(let v) = try read(topics.vitals(.spo2), payloads.reading(reading)).report else { Issue.record("not a vital"); return }
        #expect(v.value == 88 && v.time == time && v.quality == "valid")
        let state = SessionState(time: time, id: "S1", status: "running", phase: .peak, startedAt: time, doseAt: time, sinceDose: 2400,
                                 patientReference: "P-7")
        guard case .session(let s) = try read(topics.session, payloads.session(state)).report else { Issue.record("not a session"); return }
        #expect(s.id == "S1" && s.isRunning && s.phase == "peak" && s.sinceDose == 2400 && s.doseAt == time)
        var alarm = Alarm(id: "A1", kind: .physiological, condition: "spo2_low", vital: .spo2, device: "oximeter", priority: .high,
                          value: 84, limit: 85, raisedAt: time)
        alarm.escalatedAt = time.addingTimeInterval(60)
        guard case .activeAlarms(let listed) = try read(topics.activeAlarms, payloads.activeAlarms([alarm], at: time)).report else {
            Issue.record("not the active list")
            return
        }
        #expect(listed.map(\.escalatedAt) == [time.addingTimeInterval(60)], "escalated, as the room said")
        let result = payloads.commandResult(request: "r-1", verb: "ack", error: "no such alarm", at: time)
        #expect(try read(topics.commandResult("ack"), result).report == .commandResult(CommandResult(request: "r-1", command: "ack", error: "no such alarm")))
        #expect(try read(topics.command("ack"), #"{"alarm":"A1"}"#).report == .command)
    }

    @Test("Not JSON, a newer schema, another room's payload, an unknown topic or another site are refused with the reason", arguments: [
        ("vigil/north/room-2/vitals/spo2", "97", "not a JSON object"),
        ("vigil/north/room-2/vitals/spo2", #"{"schema":2,"site":"north","room":"room-2","vital":"spo2","value":97,"time":"2027-01-15T08:00:00Z"}"#, "newer"),
        ("vigil/north/room-2/vitals/spo2", #"{"schema":1,"site":"north","room":"room-3","vital":"spo2","value":97,"time":"2027-01-15T08:00:00Z"}"#, "another room"),
        ("vigil/north/room-2/vitals/spo2", #"{"schema":1,"site":"north","room":"room-2","vital":"spo2","value":"97","time":"2027-01-15T08:00:00Z"}"#, "finite value"),
        ("vigil/north/room-2/weather", #"{"schema":1,"site":"north","room":"room-2"}"#, "no room publishes"),
        ("vigil/south/room-2/status", "online", "another site"),
        ("vigil/north/room-2/status", "on fire", "online or offline"),
        ("vigil/north/room-2/status/extra", "online", "no room publishes"),
        ("vigil/north/room-2/vitals/spo2", #"{"schema":1,"site":"north","room":"room-2","vital":"spo2","value":-5,"time":"2027-01-15T08:00:00Z"}"#, "plausible range"),
        ("vigil/north/room-2/vitals/pulse_rate", #"{"schema":1,"site":"north","room":"room-2","vital":"spo2","value":97,"time":"2027-01-15T08:00:00Z"}"#, "another vital"),
        ("vigil/north/rööm/status", "online", "plain word"),
    ])
    func refusals(topic: String, payload: String, reason: String) {
        #expect {
            _ = try read(topic, payload)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }
}
