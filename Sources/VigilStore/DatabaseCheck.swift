import Foundation
import GRDB

/// What `vigil doctor` finds of a room's database, opened read-only so that checking it never
/// creates, migrates or changes it: SQLite's `PRAGMA integrity_check`, and the schema's
/// migrations against those this Vigil knows.
public enum DatabaseCheck: Sendable, Equatable {
    /// No file yet: `vigil run` creates it.
    case missing
    /// The file is there but SQLite cannot open or read it (permissions, not a database).
    case unreadable(String)
    /// SQLite's integrity check found damage (its first lines).
    case damaged([String])
    /// Migrations this Vigil does not know: a newer Vigil wrote it.
    case newer(unknown: [String])
    /// Sound; `pending` are the migrations `vigil run` will apply at its next start.
    case sound(applied: Int, pending: [String], sessions: Int)

    /// Checks the database at `path`.
    public static func check(path: String) -> DatabaseCheck {
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            return try queue.read { db in
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check(20)")
                guard problems == ["ok"] else { return .damaged(problems) }
                let migrator = Migrations.migrator
                let applied = try migrator.appliedIdentifiers(db)
                let known = try migrator.appliedMigrations(db)
                let unknown = applied.subtracting(known).sorted()
                guard unknown.isEmpty else { return .newer(unknown: unknown) }
                let pending = try Migrations.identifiers.filter { !applied.contains($0) }
                let sessions = try db.tableExists("session") ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session") ?? 0 : 0
                return .sound(applied: applied.count, pending: pending, sessions: sessions)
            }
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .damaged([error.message ?? "\(error.resultCode)"])
            default: return .unreadable(error.message ?? "\(error)")
            }
        } catch {
            return .unreadable("\(error)")
        }
    }
}

extension Migrations {
    /// Every migration's name, oldest first.
    static var identifiers: [String] {
        get throws {
            let queue = try DatabaseQueue()
            try migrator.migrate(queue)
            return try queue.read { try migrator.appliedMigrations($0) }
        }
    }
}
