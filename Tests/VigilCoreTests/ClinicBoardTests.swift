import Foundation
import Testing
import VigilCore

/// The station's board on a hand-driven clock: what the nurse at the desk sees of each room.
@Suite("The clinic station's board")
struct ClinicBoardTests {
    let room2 = RoomKey(site: "north", room: "room-2")
    let room3 = RoomKey(site: "north", room: "room-3")

    func session(_ state: String, id: String = "S1") -> RoomReport {
        .session(RoomTile.Session(id: id, state: state, phase: "peak", time: Date(), startedAt: nil, doseAt: nil, sinceDose: 2400))
    }

    func alarm(_ id: String, _ priority: AlarmPriority, acknowledgedBy: String? = nil) -> RoomTile.Alarm {
        RoomTile.Alarm(id: id, kind: "physiological", condition: "spo2_low", priority: priority, value: 84, limit: 85,
                       raisedAt: Date(), acknowledgedBy: acknowledgedBy, audioPaused: false)
    }

    func connectedBoard(_ clock: ManualClock) -> ClinicBoard<ManualClock> {
        var board = ClinicBoard(clock: clock, silentAfter: .seconds(30))
        _ = board.broker(connected: true)
        return board
    }

    @Test("A room that desaturates shows its high alarm, and the station sounds high until a nurse acknowledges it in the room")
    func roomAlarmSounds() {
        var board = connectedBoard(ManualClock())
        _ = board.receive(RoomMessage(room: room2, report: .status(online: true)))
        _ = board.receive(RoomMessage(room: room3, report: .status(online: true)))
        _ = board.receive(RoomMessage(room: room2, report: .activeAlarms([alarm("A1", .high)])))
        #expect(board.tiles[room2]?.loudestSounding == .high)
        #expect(board.tiles[room3]?.loudestSounding == nil)
        #expect(board.loudestSounding == .high)
        _ = board.receive(RoomMessage(room: room2, report: .activeAlarms([alarm("A1", .high, acknowledgedBy: "nurse")])))
        #expect(board.loudestSounding == nil, "acknowledged: on the board, still listed, silent")
        #expect(board.tiles[room2]?.alarms.count == 1)
    }

    @Test("A room whose agent dies mid-session turns offline: a high station alarm 5 s later, cleared when it is back online")
    func offlineDuringSession() {
        let clock = ManualClock()
        var board = connectedBoard(clock)
        _ = board.receive(RoomMessage(room: room2, report: .status(online: true)))
        _ = board.receive(RoomMessage(room: room2, report: session("running")))
        _ = board.receive(RoomMessage(room: room2, report: .status(online: false)))
        #expect(board.tiles[room2]?.status == .offline, "the tile says offline at once")
        clock.advance(by: .seconds(4))
        #expect(board.check().isEmpty, "not yet an alarm: a broker shutting down sends every room's will first")
        clock.advance(by: .seconds(1))
        let changes = board.check()
        let alarm = try? #require(board.tiles[room2]?.stationAlarm)
        #expect(alarm?.reason == .offline && alarm?.priority == .high)
        #expect(changes.contains { if case .raised(room2, _) = $0 { true } else { false } })
        #expect(board.loudestSounding == .high)
        let back = board.receive(RoomMessage(room: room2, report: .status(online: true)))
        #expect(board.tiles[room2]?.stationAlarm == nil)
        #expect(back.contains { if case .cleared(room2, _) = $0 { true } else { false } })
    }

    @Test("A room closed for the night, with no session, is shown offline at low priority: no patient is unwatched")
    func offlineWithoutSession() {
        let clock = ManualClock()
        var board = connectedBoard(clock)
        _ = board.receive(RoomMessage(room: room2, report: session("ended")))
        _ = board.receive(RoomMessage(room: room2, report: .status(online: false)))
        clock.advance(by: .seconds(5))
        _ = board.check()
        #expect(board.tiles[room2]?.stationAlarm?.priority == .low)
        _ = board.receive(RoomMessage(room: room2, report: session("running", id: "S2")))
        #expect(board.tiles[room2]?.stationAlarm?.priority == .high, "a session under way after all: high")
    }

    @Test("An online room heard from every 10 s is never silent; after 30 s of nothing it is a high station alarm")
    func silentRoom() {
        let clock = ManualClock()
        var board = connectedBoard(clock)
        _ = board.receive(RoomMessage(room: room2, report: .status(online: true)))
        _ = board.receive(RoomMessage(room: room2, report: session("running")))
        for _ in 0..<6 {
            clock.advance(by: .seconds(10))
            #expect(board.check().isEmpty)
            _ = board.receive(RoomMessage(room: room2, report: session("running")))
        }
        clock.advance(by: .seconds(30))
        #expect(board.check().isEmpty, "30 s exactly is not yet silent")
        clock.advance(by: .seconds(1))
        #expect(board.check().count == 1)
        #expect(board.tiles[room2]?.stationAlarm?.reason == .silent)
        #expect(board.check().isEmpty, "raised once")
        _ = board.receive(RoomMessage(room: room2, report: session("running")))
        #expect(board.tiles[room2]?.stationAlarm == nil, "heard again")
    }

    @Test("While the station has lost the broker nothing is silent; back, each room gets its full 30 s again")
    func brokerAway() {
        let clock = ManualClock()
        var board = connectedBoard(clock)
        _ = board.receive(RoomMessage(room: room2, report: .status(online: true)))
        _ = board.broker(connected: false)
        clock.advance(by: .seconds(120))
        #expect(board.check().isEmpty)
        #expect(board.brokerConnected == false)
        _ = board.broker(connected: true)
        clock.advance(by: .seconds(29))
        #expect(board.check().isEmpty)
        clock.advance(by: .seconds(2))
        #expect(board.check().count == 1)
    }

    @Test("A nurse silences the station's alarm about an offline room; it stays on the tile, silent, until the room is back")
    func acknowledgeStationAlarm() {
        let clock = ManualClock()
        var board = connectedBoard(clock)
        _ = board.receive(RoomMessage(room: room2, report: .status(online: false)))
        clock.advance(by: .seconds(5))
        _ = board.check()
        #expect(board.loudestSounding == .high, "the station cannot tell whether a session runs: high")
        #expect(board.acknowledgeStationAlarm(of: room2, by: .nurse)?.acknowledgedBy == .nurse)
        #expect(board.acknowledgeStationAlarm(of: room2, by: .nurse) == nil, "once")
        #expect(board.loudestSounding == nil)
        #expect(board.tiles[room2]?.stationAlarm != nil)
    }

    @Test("An escalated alarm stands out until it is cleared or leaves the active list; a new session clears the last one's vitals")
    func escalationAndNewPatient() {
        var board = connectedBoard(ManualClock())
        let event = ArchivedEvent(kind: .alarm, room: room2, eventID: "A1/2", session: "S1", time: Date(), payload: "{}")
        _ = board.receive(RoomMessage(room: room2, report: .activeAlarms([alarm("A1", .high)])))
        _ = board.receive(RoomMessage(room: room2, report: .alarmEvent(event, state: .escalated, alarm: "A1")))
        #expect(board.tiles[room2]?.escalated == ["A1"])
        _ = board.receive(RoomMessage(room: room2, report: .activeAlarms([])))
        #expect(board.tiles[room2]?.escalated == [])

        _ = board.receive(RoomMessage(room: room2, report: session("running", id: "S1")))
        _ = board.receive(RoomMessage(room: room2, report: .vital(RoomTile.Vital(vital: "spo2", value: 97, time: Date(), quality: "valid"))))
        _ = board.receive(RoomMessage(room: room2, report: session("running", id: "S1")))
        #expect(board.tiles[room2]?.vitals["spo2"] != nil)
        _ = board.receive(RoomMessage(room: room2, report: session("running", id: "S2")))
        #expect(board.tiles[room2]?.vitals.isEmpty == true, "the next patient's tile starts empty")
    }

    @Test("A station started after a room escalated an alarm marks it ESCALATED from the room's retained active list alone")
    func escalationFromTheRetainedList() {
        var board = connectedBoard(ManualClock())
        var escalated = alarm("A1", .high)
        escalated.escalatedAt = Date()
        _ = board.receive(RoomMessage(room: room2, report: .activeAlarms([escalated, alarm("A2", .medium)]), retained: true))
        #expect(board.tiles[room2]?.escalated == ["A1"], "no escalated event was heard: the list says so")
        _ = board.receive(RoomMessage(room: room2, report: .activeAlarms([alarm("A2", .medium)])))
        #expect(board.tiles[room2]?.escalated == [])
    }

    @Test("The broker shutting down sends every room's will, then the station loses it: no room is a false alarm, before or after it is back")
    func brokerRestartIsNoRoomAlarm() {
        let clock = ManualClock()
        var board = connectedBoard(clock)
        for room in [room2, room3] {
            _ = board.receive(RoomMessage(room: room, report: .status(online: true)))
            _ = board.receive(RoomMessage(room: room, report: session("running")))
        }
        clock.advance(by: .seconds(1))
        for room in [room2, room3] { _ = board.receive(RoomMessage(room: room, report: .status(online: false))) }
        clock.advance(by: .milliseconds(50))
        _ = board.broker(connected: false)
        clock.advance(by: .seconds(60))
        #expect(board.check().isEmpty)
        _ = board.broker(connected: true)
        // The broker replays the wills it kept; the rooms back off up to 16 s before reconnecting.
        for room in [room2, room3] { _ = board.receive(RoomMessage(room: room, report: .status(online: false), retained: true)) }
        clock.advance(by: .seconds(16))
        #expect(board.check().isEmpty, "within the reconnect grace")
        _ = board.receive(RoomMessage(room: room2, report: .status(online: true)))
        clock.advance(by: .seconds(4))
        let changes = board.check()
        #expect(board.tiles[room2]?.stationAlarm == nil, "room 2 came back within the grace")
        #expect(changes.count == 1 && board.tiles[room3]?.stationAlarm?.reason == .offline, "room 3 never did: an alarm 20 s after the reconnect")
    }

    @Test("A stuck room's retained topics replayed at a reconnect, and the station's own commands heard back, never make it look alive")
    func retainedAndOwnCommandsAreNotTheRoom() {
        let clock = ManualClock()
        var board = connectedBoard(clock)
        _ = board.receive(RoomMessage(room: room2, report: .status(online: true)))
        _ = board.receive(RoomMessage(room: room2, report: session("running")))
        clock.advance(by: .seconds(31))
        _ = board.check()
        #expect(board.tiles[room2]?.stationAlarm?.reason == .silent)
        #expect(board.receive(RoomMessage(room: room2, report: .command)).isEmpty, "a nurse's Acknowledge, heard back")
        _ = board.receive(RoomMessage(room: room2, report: session("running"), retained: true))
        #expect(board.tiles[room2]?.stationAlarm?.reason == .silent, "still silent: only the broker's memory spoke")
        _ = board.receive(RoomMessage(room: room2, report: session("running")))
        #expect(board.tiles[room2]?.stationAlarm == nil, "the room itself")
    }
}
