import Foundation
import Testing
import VigilCore
import VigilStation

/// What every archive must do, whatever engine keeps it: each room's messages exactly once,
/// sessions listed across rooms with what their events and summaries say.
enum ArchiveContract {
    static let north2 = RoomKey(site: "north", room: "room-2")
    static let north3 = RoomKey(site: "north", room: "room-3")
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func alarm(_ room: RoomKey, _ id: String, seq: Int, state: String, priority: String = "high",
                      session: String = "S1", at seconds: Double) -> ArchivedEvent {
        let time = JSONLine.timestamp(start.addingTimeInterval(seconds))
        let payload = #"{"schema":1,"site":"\#(room.site)","room":"\#(room.room)","event_id":"\#(id)/\#(seq)","session":"\#(session)","time":"\#(time)","id":"\#(id)","seq":\#(seq),"kind":"physiological","condition":"spo2_low","priority":"\#(priority)","state":"\#(state)"}"#
        return ArchivedEvent(kind: .alarm, room: room, eventID: "\(id)/\(seq)", session: session,
                             time: start.addingTimeInterval(seconds), payload: payload)
    }

    static func summary(_ room: RoomKey, session: String = "S1", endedAfter seconds: Double) -> ArchivedEvent {
        let ended = JSONLine.timestamp(start.addingTimeInterval(seconds))
        let payload = #"{"schema":1,"site":"\#(room.site)","room":"\#(room.room)","event_id":"summary/\#(session)","session":"\#(session)","summary":{"started_at":"\#(JSONLine.timestamp(start))","ended_at":"\#(ended)","alarms_by_priority":{"high":1}}}"#
        return ArchivedEvent(kind: .summary, room: room, eventID: "summary/\(session)", session: session,
                             time: start.addingTimeInterval(seconds), payload: payload)
    }

    static func started(_ room: RoomKey, session: String, at seconds: Double) -> ArchivedEvent {
        let time = JSONLine.timestamp(start.addingTimeInterval(seconds))
        let payload = #"{"schema":1,"site":"\#(room.site)","room":"\#(room.room)","time":"\#(time)","session":"\#(session)","state":"running","phase":"baseline","started_at":"\#(time)"}"#
        return ArchivedEvent(kind: .session, room: room, eventID: "session/\(session)", session: session,
                             time: start.addingTimeInterval(seconds), payload: payload)
    }

    /// A room's outbox resent after an outage: every message twice, some three times.
    static func keepsEachMessageOnce(_ archive: any StationArchive) async throws {
        let messages = [
            alarm(north2, "A1", seq: 1, state: "raised", at: 600),
            alarm(north2, "A1", seq: 2, state: "acknowledged", at: 640),
            alarm(north3, "A1", seq: 1, state: "raised", priority: "medium", session: "S9", at: 700),  // another room's A1
            summary(north2, endedAfter: 7200),
            started(north3, session: "S9", at: 650),  // heard from its retained state before its first alarm
            started(north3, session: "S10", at: 8000),  // running, no alarm yet
        ]
        var fresh: [Bool] = []
        for m in messages { fresh.append(try await archive.keep(m)) }
        #expect(fresh == [true, true, true, true, true, true], "the first time each is new")
        for m in messages + messages.prefix(2) { #expect(try await archive.keep(m) == false, "\(m.eventID) again is a duplicate") }
        #expect(try await archive.count(.alarm) == 3)
        #expect(try await archive.count(.summary) == 1)
        #expect(try await archive.count(.session) == 2)

        let sessions = try await archive.sessions(since: nil)
        #expect(sessions.map { "\($0.room) \($0.session)" } == ["north/room-3 S10", "north/room-3 S9", "north/room-2 S1"], "newest first")
        let s1 = try #require(sessions.first { $0.session == "S1" })
        #expect(s1.startedAt == start && s1.endedAt == start.addingTimeInterval(7200))
        #expect(s1.raised == [.high: 1] && s1.summary != nil)
        let s9 = try #require(sessions.first { $0.session == "S9" })
        #expect(s9.endedAt == nil && s9.raised == [.medium: 1], "still running: what its events say")
        #expect(s9.startedAt == start.addingTimeInterval(650), "from its start, not its first alarm")
        #expect(try #require(sessions.first).raised.isEmpty, "S10: running, no alarm yet, listed")
        #expect(try await archive.sessions(since: start.addingTimeInterval(650)).map(\.session) == ["S10", "S9"])

        let events = try await archive.events(of: north2, session: "S1")
        #expect(events.map(\.eventID) == ["A1/1", "A1/2", "summary/S1"], "oldest first")
        #expect(events.first?.payload == messages.first?.payload, "kept as the room sent it")
    }
}
