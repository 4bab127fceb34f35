import ArgumentParser
import Foundation
import VigilAgent
import VigilCore
import VigilStore

/// `vigil demo`: the agent on its embedded default — a simulated CMS50 V7 oximeter and SunTech
/// NIBP module on pseudo-terminals, read through the real serial path.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the agent on simulated devices, printing phases, readings and alarms live."
    )

    @Option(help: "How many times faster than real time the session runs.")
    var speed: Double = 120

    @Option(help: "A scenario CSV to play instead of the bundled demo session.")
    var scenario: String?

    @Option(help: "How many sessions to play in a row, each a new session after the previous one ends and the room has been idle for a minute of session time (a session resumed after a restart counts as the first).")
    var sessions: Int = 1

    @Option(help: "Where the simulated devices' symlinks are made.")
    var devices: String = "var/demo"

    @Option(help: "The database (an unfinished session in it is resumed).")
    var db: String = "var/vigil.sqlite"

    @Option(help: "An alarm profile YAML file (the alarms: section of vigil.yaml).")
    var profile: String?

    @OptionGroup var room: RoomOptions

    func run() async throws {
        guard speed > 0, speed <= 1000 else { throw ValidationError("--speed must be more than 0 and at most 1000") }
        guard (1...100).contains(sessions) else { throw ValidationError("--sessions must be from 1 to 100") }
        let text = try scenario.map { try TextInput.read($0) } ?? DemoSession.scenario
        let parsed = try Scenario.parse(text, file: scenario ?? "demo").repeated(sessions, gap: DemoSession.gap)
        let what = sessions == 1 ? "a session" : "\(sessions) sessions in a row"
        Console.line("vigil demo: \(what) at \(JSONLine.number(speed))× on simulated devices (Ctrl-C to stop)")
        let alarmProfile = try profile.map { try ProfileFile.load(path: $0) } ?? .clinicDefault
        let store = try Store(path: db)
        let identity = RoomIdentity(site: room.site ?? "demo", room: room.room ?? "room-1")
        let demo = DemoRoom(scenario: parsed, speed: speed, deviceFolder: devices, profile: alarmProfile, store: store,
                            identity: identity, mqtt: room.broker(over: nil), audio: room.audio(over: AudioSettings()), controlSocket: room.socket)
        let printer = DemoPrinter { Console.line($0) }
        if try await ShutdownSignals.run({ try await demo.run(output: printer.handle) { Console.line($0) } }) {
            Console.line("vigil demo: stopped; an unfinished session resumes at the next start")
        }
    }
}
