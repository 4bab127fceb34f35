import Foundation

/// One message a room published, read by the station: what it says, from which room.
public struct RoomMessage: Sendable, Hashable {
    public var room: RoomKey
    public var report: RoomReport
    /// The broker's retained copy (replayed at every subscription), not the room speaking now.
    public var retained: Bool

    public init(room: RoomKey, report: RoomReport, retained: Bool = false) {
        self.room = room
        self.report = report
        self.retained = retained
    }
}

/// What a room says on the clinic's broker, one case per topic (the architecture's topic table).
public enum RoomReport: Sendable, Hashable {
    /// `…/status`: `online`, or the will's `offline`.
    case status(online: Bool)
    /// `…/vitals/<vital>`: the latest reading.
    case vital(RoomTile.Vital)
    /// `…/session`: where the session stands; republished every few seconds, the room's pulse.
    case session(RoomTile.Session)
    /// `…/alarms/active`: every active alarm, loudest first.
    case activeAlarms([RoomTile.Alarm])
    /// `…/alarms`: one alarm event, kept by the station once.
    case alarmEvent(ArchivedEvent, state: AlarmState, alarm: String)
    /// `…/summary`: a finished session's summary, kept by the station once.
    case summary(ArchivedEvent)
    /// `…/cmd/<verb>/result`: the room's answer to a command.
    case commandResult(CommandResult)
    /// `…/cmd/<verb>`: a command on its way to the room (the station's own, heard back).
    case command
}

/// The room's answer to one command, matched to it by `request`.
public struct CommandResult: Sendable, Hashable {
    public var request: String?
    public var command: String
    public var error: String?

    public init(request: String?, command: String, error: String?) {
        self.request = request
        self.command = command
        self.error = error
    }
}

/// A message the station keeps for good: an alarm event, a session summary, or the start of a
/// session (its first retained state), exactly once per `eventID` (a room's outbox resends after
/// an outage, so the same one may arrive again).
public struct ArchivedEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case alarm, summary
        /// A session as the station first heard of it, at its start: listed before it ends or alarms.
        case session
    }

    public var kind: Kind
    public var room: RoomKey
    /// The room's own id: `<alarm>/<seq>` for an alarm event, `summary/<session>` for a summary,
    /// `session/<session>` for a start.
    public var eventID: String
    public var session: String?
    public var time: Date
    /// The payload as the room sent it.
    public var payload: String

    public init(kind: Kind, room: RoomKey, eventID: String, session: String?, time: Date, payload: String) {
        self.kind = kind
        self.room = room
        self.eventID = eventID
        self.session = session
        self.time = time
        self.payload = payload
    }
}
