import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// Options every command that reads the database shares.
struct DatabaseOption: ParsableArguments {
    @Option(help: "The database file.")
    var db: String = "var/vigil.sqlite"

    func open() throws -> Store {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db) (run vigil demo, or pass --db)")
        }
        return try Store(path: db)
    }
}

/// `vigil sessions`: every session, newest first.
struct Sessions: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the sessions in the database, newest first.")
    @OptionGroup var database: DatabaseOption

    func run() throws {
        let store = try database.open()
        for s in try store.sessions() {
            let started = SessionReport.time(Date(timeIntervalSince1970: s.startedAt))
            let minutes = s.endedAt.map { "\(Int(($0 - s.startedAt) / 60)) min" } ?? "running"
            print("\(s.id)  \(started)  \(s.site)/\(s.room)  \(minutes)")
        }
    }
}

/// `vigil report`: one session as a provider reviews it.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a session's summary: REMS fields, vitals by phase, alarms.")
    @Argument(help: "The session id (vigil sessions lists them).") var session: String
    @OptionGroup var database: DatabaseOption

    func run() throws {
        print(try SessionReport.text(session, from: try database.open()), terminator: "")
    }
}

/// `vigil export`: a session for the chart.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export a session as CSV (readings), JSON (everything) or a FHIR R4 Bundle.")
    @Argument(help: "The session id.") var session: String
    @Option(help: "csv, json or fhir.") var format: String = "csv"
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @OptionGroup var database: DatabaseOption

    func run() throws {
        guard let f = SessionExport.Format(rawValue: format) else { throw ValidationError("--format must be csv, json or fhir") }
        let text = try SessionExport.export(session, from: try database.open(), as: f)
        if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
    }
}

/// `vigil prune`: retention.
struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete finished sessions older than a given age; never an unfinished one.")
    @Option(help: "Age, e.g. 365d, 52w, 8760h.") var olderThan: String
    @Flag(help: "Only list what would be deleted.") var dryRun = false
    @OptionGroup var database: DatabaseOption

    func run() throws {
        guard let age = SessionAge.seconds(olderThan) else {
            throw ValidationError("--older-than takes a number and d, w or h, e.g. 365d")
        }
        let removed = try database.open().prune(endedBefore: Date().addingTimeInterval(-age), dryRun: dryRun)
        for s in removed { print("\(dryRun ? "would delete" : "deleted") \(s.id)") }
        print("\(removed.count) session\(removed.count == 1 ? "" : "s") \(dryRun ? "would be " : "")deleted")
    }
}
