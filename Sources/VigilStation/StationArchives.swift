import Foundation
import VigilCore

/// Opens the archive a station's `database` names: a `postgres://` URL, or a SQLite file's path.
public enum StationArchives {
    /// An archive that must already exist: for reading it (`vigil station sessions`), a mistyped
    /// path is an error, not an empty archive made there.
    public static func existing(_ location: String) async throws -> any StationArchive {
        guard isPostgres(location) || FileManager.default.fileExists(atPath: location) else {
            throw ArchiveError("no station database at \(location) (the station's config names it: station.database)")
        }
        return try await open(location)
    }

    public static func open(_ location: String) async throws -> any StationArchive {
        if isPostgres(location) { return try await PostgresArchive(url: location) }
        do {
            return try SQLiteArchive(path: location)
        } catch let error as ArchiveError {
            throw ArchiveError("the station's database \(location): \(error)")
        } catch {
            throw ArchiveError("the station's database \(location): \(error) — the user running vigil station must be able to write it and its folder")
        }
    }

    static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }
}
