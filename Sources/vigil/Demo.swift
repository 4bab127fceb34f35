import ArgumentParser
import Foundation
import VigilAgent
import VigilCore

/// `vigil demo`: the agent on its embedded default. Until the device layer lands it replays the
/// bundled demo session against the real clock, sped up, printing phases and alarms live.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a demonstration session, printing phases and alarms live.")

    @Option(help: "How many times faster than real time the session runs.")
    var speed: Double = 120

    @Option(help: "A scenario CSV to play instead of the bundled demo session.")
    var scenario: String?

    func run() async throws {
        guard speed > 0 else { throw ValidationError("--speed must be more than 0") }
        let text = try scenario.map { try TextInput.read($0) } ?? DemoSession.scenario
        var replay = ScenarioReplay(scenario: try Scenario.parse(text, file: scenario ?? "demo"),
                                    profile: .clinicDefault, wallStart: Date())
        let printer = LivePrinter()
        print("vigil demo: a two-hour session at \(JSONLine.number(speed))× (Ctrl-C to stop)")
        let started = ContinuousClock.now
        while let moment = try replay.step() {
            try await Task.sleep(until: started.advanced(by: .seconds(moment.seconds / speed)), clock: .continuous)
            moment.events.forEach { print(printer.line(for: $0)) }
        }
    }
}
