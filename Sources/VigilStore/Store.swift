import Foundation
import GRDB
import VigilCore

/// The room's database: every reading, alarm event, session event, command and device event,
/// and the summary of each finished session. A file is a WAL-mode `DatabasePool`, so review
/// commands read while the agent writes; tests also run on an in-memory queue.
public final class Store: Sendable {
    public let writer: any DatabaseWriter
    public let path: String?

    /// Opens (creating folders and file as needed) and migrates the database at `path`.
    ///
    /// A new database is created readable and writable by its owner only (0600), whatever the
    /// umask: it is health data. SQLite gives its `-wal` and `-shm` files the database's mode.
    ///
    /// `busyTimeout`: how long a write waits for a lock another program holds. The room's agent
    /// gives 250 ms, so that its alarm path never waits on a `vigil prune` or a maintenance
    /// session for long (it queues what the database refuses); the command-line tools wait 5 s.
    public init(path: String, busyTimeout: Duration = .seconds(5)) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let created = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if created >= 0 {
            fchmod(created, 0o600)
            _ = Glibc.close(created)
        }
        var config = Configuration()
        config.busyMode = .timeout(TimeInterval(busyTimeout.components.seconds) + TimeInterval(busyTimeout.components.attoseconds) / 1e18)
        config.prepareDatabase { db in
            // WAL with synchronous=NORMAL: a committed transaction survives the process being
            // killed (it is in the WAL); only a power cut can lose the last moments.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        writer = try DatabasePool(path: path, configuration: config)
        self.path = path
        try Migrations.migrator.migrate(writer)
    }

    /// Closes the database: the WAL is checkpointed into the file, so that a backup of
    /// `vigil.sqlite` alone after a stop has everything. Nothing may use the store after this.
    public func close() {
        try? writer.close()
    }

    /// A database in memory (tests) or a single-connection queue on a file.
    public init(queue: DatabaseQueue) throws {
        writer = queue
        path = nil
        try Migrations.migrator.migrate(writer)
    }

    /// The names of the migrations applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { try Migrations.migrator.appliedMigrations($0) }
    }

    // MARK: Writing

    public func insert(_ session: SessionRecord) throws {
        try writer.write { try session.insert($0) }
    }

    /// Records a session event and keeps the session row's dose and end in step with it.
    public func record(_ event: SessionEvent, session id: String) throws {
        try writer.write { db in
            try SessionEventRecord(id: nil, sessionId: id, time: event.time.timeIntervalSince1970, kind: event.kind.rawValue,
                                   phase: event.phase.rawValue, sinceDose: event.sinceDose, role: event.by?.rawValue,
                                   text: event.text).insert(db)
            switch event.kind {
            case .dose:
                try db.execute(sql: "UPDATE session SET doseAt = ? WHERE id = ?", arguments: [event.time.timeIntervalSince1970, id])
            case .ended:
                try db.execute(sql: "UPDATE session SET endedAt = ?, endedBy = ? WHERE id = ?",
                               arguments: [event.time.timeIntervalSince1970, event.by?.rawValue, id])
            default: break
            }
        }
    }

    /// Commits one alarm event, and in the same transaction the message that announces it to
    /// the clinic; callers publish it only after this returns.
    public func record(_ alarm: AlarmEvent, session id: String?, announcing message: OutboxEntry? = nil) throws {
        try writer.write { db in
            try AlarmEventRecord(alarm, session: id).insert(db)
            _ = try message?.inserted(db)
        }
    }

    /// Commits a batch of readings in one transaction.
    public func record(_ readings: [(Reading, String?)]) throws {
        guard !readings.isEmpty else { return }
        try writer.write { db in
            for (reading, session) in readings { try ReadingRecord(reading, session: session).insert(db) }
        }
    }

    public func recordDevice(_ device: String, event: String, detail: String?, at time: Date) throws {
        try writer.write { try DeviceEventRecord(id: nil, time: time.timeIntervalSince1970, device: device, event: event, detail: detail).insert($0) }
    }

    public func audit(_ record: AuditRecord) throws {
        try writer.write { db in try record.insert(db) }
    }

    public func save(_ summary: SessionSummary, session id: String, announcing message: OutboxEntry? = nil) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
        try writer.write { db in
            try SummaryRecord(sessionId: id, createdAt: Date().timeIntervalSince1970, json: json).save(db)
            _ = try message?.inserted(db)
        }
    }
}
