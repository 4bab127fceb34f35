import Foundation
import GRDB
import VigilCore

/// The station's archive in one SQLite file (WAL), or in memory for a test.
public final class SQLiteArchive: StationArchive {
    let writer: any DatabaseWriter

    /// Opens (creating, readable by its owner only) the archive at `path`.
    public init(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw ArchiveError("cannot make the folder \(folder): a file is in the way of it, or its parent is not writable")
            }
        }
        let created = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if created >= 0 { _ = Glibc.close(created) }
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // WAL with synchronous=NORMAL: a commit survives the process being killed; only a
            // power cut can lose the last moments. Each commit no longer waits for the disk.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        writer = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(writer)
    }

    /// An archive on a single-connection queue (`DatabaseQueue()` is one in memory).
    public init(queue: DatabaseQueue) throws {
        writer = queue
        try Self.migrator.migrate(writer)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        for migration in ArchiveSchema.migrations {
            m.registerMigration(migration.name) { db in
                for statement in migration.statements { try db.execute(sql: statement) }
            }
        }
        return m
    }

    public func keep(_ event: ArchivedEvent) async throws -> Bool {
        let values = ArchiveSchema.values(event, receivedAt: Date())
        return try await writer.write { db in
            try db.execute(sql: "INSERT INTO room_event (\(ArchiveSchema.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: StatementArguments(values))
            return db.changesCount == 1
        }
    }

    public func sessions(since: Date?) async throws -> [ArchivedSession] {
        let rows = try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT site, room, session, kind, time_ms, state, priority, payload FROM room_event WHERE session IS NOT NULL")
                .map { r -> ArchiveSchema.SessionRow in
                    (RoomKey(site: r["site"], room: r["room"]), r["session"], r["kind"], r["time_ms"], r["state"], r["priority"], r["payload"])
                }
        }
        return ArchiveSchema.sessions(rows, since: since)
    }

    public func events(of room: RoomKey, session: String) async throws -> [ArchivedEvent] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT event_id, kind, time_ms, payload FROM room_event WHERE site = ? AND room = ? AND session = ? ORDER BY time_ms, received_ms",
                             arguments: [room.site, room.room, session])
                .compactMap { r -> ArchivedEvent? in
                    guard let kind = ArchivedEvent.Kind(rawValue: r["kind"]) else { return nil }
                    return ArchivedEvent(kind: kind, room: room, eventID: r["event_id"], session: session,
                                         time: ArchiveSchema.date(r["time_ms"]), payload: r["payload"])
                }
        }
    }

    public func count(_ kind: ArchivedEvent.Kind) async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM room_event WHERE kind = ?", arguments: [kind.rawValue]) ?? 0 }
    }

    public func close() async { try? writer.close() }
}
