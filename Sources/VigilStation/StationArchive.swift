import Foundation
import VigilCore

/// Where the station keeps every room's alarm events and session summaries, each exactly once:
/// a room's outbox resends after an outage, and a message already kept (same room, same
/// `event_id`) is ignored. SQLite by default (``SQLiteArchive``), PostgreSQL for a group of
/// clinics (``PostgresArchive``); the same schema and the same answers from both.
public protocol StationArchive: Sendable {
    /// Keeps `event` unless it is kept already; whether it was new.
    func keep(_ event: ArchivedEvent) async throws -> Bool
    /// Every session any room reported, newest first; `since` leaves out older ones.
    func sessions(since: Date?) async throws -> [ArchivedSession]
    /// Everything kept of one session, oldest first.
    func events(of room: RoomKey, session: String) async throws -> [ArchivedEvent]
    /// How many messages are kept, of each kind.
    func count(_ kind: ArchivedEvent.Kind) async throws -> Int
    /// Closes the connection; nothing may use the archive after.
    func close() async
}

/// One session as the station knows it: from its alarm events while it runs, and from its
/// summary once it has ended.
public struct ArchivedSession: Sendable, Hashable {
    public var room: RoomKey
    public var session: String
    /// The summary's start, or the first event heard.
    public var startedAt: Date
    /// From the summary; `nil` while the session runs.
    public var endedAt: Date?
    /// Alarms raised, by priority.
    public var raised: [AlarmPriority: Int]
    /// The summary's payload as the room sent it.
    public var summary: String?

    public init(room: RoomKey, session: String, startedAt: Date, endedAt: Date?, raised: [AlarmPriority: Int], summary: String?) {
        self.room = room
        self.session = session
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.raised = raised
        self.summary = summary
    }
}

/// A database URL or path the station cannot use.
public struct ArchiveError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
