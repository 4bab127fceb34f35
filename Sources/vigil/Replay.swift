import ArgumentParser
import Foundation
import VigilAgent
import VigilCore

/// `vigil replay`: what would these limits have done with this timeline?
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario through the session and alarm engine on a simulated clock.",
        discussion: """
        A scenario line is seconds,name,value (e.g. 300,dose, or 2400,systolic,172); # starts a \
        comment. Each alarm event is printed as one JSON object a line.
        """
    )

    @Argument(help: "The scenario CSV file, or - for standard input.")
    var scenario: String

    @Option(help: "An alarm profile YAML file (the `alarms:` section of vigil.yaml); default: the clinic table.")
    var profile: String?

    @Flag(help: "Print session events (start, dose, phase changes, end) as well.")
    var withSession = false

    func run() throws {
        do {
            let alarmProfile = try profile.map { try ProfileFile.load(path: $0) } ?? .clinicDefault
            let text = try TextInput.read(scenario)
            let parsed = try Scenario.parse(text, file: scenario)
            var replay = ScenarioReplay(scenario: parsed, profile: alarmProfile, file: scenario)
            while let moment = try replay.step() {
                for event in moment.events { if let line = line(for: event) { print(line) } }
            }
        } catch let error as CustomStringConvertible & Error {
            FileHandle.standardError.write(Data("vigil replay: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func line(for event: RoomEvent) -> String? {
        switch event {
        case .alarm(let alarm): alarm.jsonLine.description
        case .session(let session): withSession ? session.jsonLine.description : nil
        }
    }
}
