import ArgumentParser
import Foundation
import VigilAgent
import VigilCore
import VigilStore

/// `vigil replay`: what would these limits have done with this timeline — a scenario, one
/// recorded session set beside what the room raised, or every session of the last weeks?
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a scenario, or recorded sessions, through an alarm profile.",
        discussion: """
        vigil replay SCENARIO.csv: a scenario line is seconds,name,value (e.g. 300,dose, or \
        2400,systolic,172); # starts a comment; a line #hold: each-line before the first timed line \
        makes each line one reading, with silence between lines (the default, #hold: until-next, \
        sends each value every second until the next line). Each alarm event is printed as one JSON \
        object a line.

        vigil replay --session ID: the session as the database recorded it (readings with their \
        own times, quality and gaps, BP measurements, session events, the nurses' acknowledgements \
        and pauses, devices lost and back) through the profile, side by side with the alarms the \
        room raised; --json prints the replay's alarm events instead.

        vigil replay --sessions --since 30d: every finished session since then, as a Markdown table \
        of alarms by condition and priority per session-hour, the room's against each --profile.

        vigil replay --score LABELS: the labelled library scored for each --profile against a naive \
        monitor (the same as vigil score LABELS).
        """
    )

    @Argument(help: "The scenario CSV file, or - for standard input.")
    var scenario: String?

    @Option(help: "Replay this recorded session from the database (vigil sessions lists them).")
    var session: String?

    @Flag(help: "Replay every finished session that started within --since.")
    var sessions = false

    @Option(help: "With --sessions: how far back, e.g. 30d, 2w or 12h.")
    var since: String = "30d"

    @Option(help: "An alarm profile YAML file (the `alarms:` section of vigil.yaml); default: the clinic table. With --sessions, repeat it to compare several.")
    var profile: [String] = []

    @OptionGroup var database: DatabaseOption

    @Flag(help: "Print one JSON object a line: the replay's alarm events (--session), or one count a line (--sessions).")
    var json = false

    @Option(help: "Score each --profile on a labelled library (labels.json or its folder) against a naive monitor, as vigil score does.")
    var score: String?

    @Flag(help: "Print session events (start, dose, phase changes, end) as well.")
    var withSession = false

    func validate() throws {
        let forms = [scenario != nil, session != nil, sessions, score != nil].filter { $0 }.count
        guard forms == 1 else {
            throw ValidationError("give one of: a scenario file, --session ID, --sessions --since 30d, or --score LABELS")
        }
        if profile.count > 1, !sessions, score == nil {
            throw ValidationError("--profile may be repeated only with --sessions or --score")
        }
    }

    func run() throws {
        if let score {
            let scoring = try Score.parse([score] + profile.flatMap { ["--profile", $0] })
            try scoring.run()
            return
        }
        do {
            let profiles = try profile.map { (name: $0, profile: try ProfileFile.load(path: $0)) }
            let chosen = profiles.first?.profile ?? .clinicDefault
            let name = profiles.first?.name ?? "the clinic's default profile"
            if let scenario {
                try replay(scenario: scenario, profile: chosen)
            } else if let session {
                try SessionReplay.print(session, from: try database.open(), profile: chosen, named: name,
                                        json: json, withSession: withSession)
            } else {
                let age = try Self.age(since)
                try SessionsReplay.print(from: try database.open(), since: Date().addingTimeInterval(-age), sinceText: since,
                                         profiles: profiles.isEmpty ? [(name, chosen)] : profiles, json: json)
            }
        } catch let error as CustomStringConvertible & Error {
            FileHandle.standardError.write(Data("vigil replay: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func replay(scenario: String, profile: AlarmProfile) throws {
        let text = try TextInput.read(scenario)
        let parsed = try Scenario.parse(text, file: scenario)
        var replay = ScenarioReplay(scenario: parsed, profile: profile, file: scenario)
        while let moment = try replay.step() {
            for event in moment.events { if let line = line(for: event) { print(line) } }
        }
    }

    private func line(for event: RoomEvent) -> String? {
        switch event {
        case .alarm(let alarm): alarm.jsonLine.description
        case .session(let session): withSession ? session.jsonLine.description : nil
        }
    }

    struct Problem: Error, CustomStringConvertible { var description: String }

    /// `30d`, `2w`, `12h` in seconds.
    static func age(_ text: String) throws -> Double {
        guard let seconds = SessionAge.seconds(text) else {
            throw Problem(description: "--since \"\(text)\": takes a number and d, w or h, e.g. 30d")
        }
        return seconds
    }
}
