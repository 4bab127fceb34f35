import Foundation
import VigilCore

/// Opens the archive a station's `database` names: a `postgres://` URL, or a SQLite file's path.
public enum StationArchives {
    /// An archive that must already exist: for reading it (`vigil station sessions`), a mistyped
    /// path is an error, not an empty archive made there.
    public static func existing(_ location: String) async throws -> any StationArchive {
        let isURL = location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
        guard isURL || FileManager.default.fileExists(atPath: location) else {
            throw ArchiveError("no station database at \(location) (the station's config names it: station.database)")
        }
        return try await open(location)
    }

    public static func open(_ location: String) async throws -> any StationArchive {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try await PostgresArchive(url: location)
        }
        do {
            return try SQLiteArchive(path: location)
        } catch let error as ArchiveError {
            throw ArchiveError("the station's database \(location): \(error)")
        } catch {
            throw ArchiveError("the station's database \(location): \(error) — the user running vigil station must be able to write it and its folder")
        }
    }

    /// Where a list of sessions starts: `7d`, `24h` or a date (`2026-11-01`, UTC); `nil` if unreadable.
    public static func since(_ text: String, now: Date = Date()) -> Date? {
        if let date = JSONLine.date(from: text + "T00:00:00Z") { return date }
        guard let unit = text.last, let n = Double(text.dropLast()), n > 0, n.isFinite else { return nil }
        let seconds: Double? = ["d": 86_400, "h": 3_600][unit]
        return seconds.map { now.addingTimeInterval(-n * $0) }
    }
}
