import ArgumentParser
import Foundation
import VigilAgent
import VigilCore
import VigilStore
import VigilWeb

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

    @Flag(help: "After the last session, keep the room and its pages up until Ctrl-C (make run does), so the finished session can be reviewed.")
    var stay = false

    @OptionGroup var room: RoomOptions

    func run() async throws {
        VigilLogging.bootstrap(level: room.logLevel)
        let metrics = RoomMetrics.bootstrap()
        guard speed > 0, speed <= 1000 else { throw ValidationError("--speed must be more than 0 and at most 1000") }
        guard (1...100).contains(sessions) else { throw ValidationError("--sessions must be from 1 to 100") }
        var web = room.web(over: HTTPSettings())
        if web?.logins.isEmpty == true { web?.logins = DemoLogins.logins }
        if let address = web?.address, !HTTPSettings.isLoopback(address) {
            throw ValidationError("--http \(address): the demo prints its PINs, so it serves its pages on this machine only (127.0.0.1 or ::1)")
        }
        let text = try scenario.map { try TextInput.read($0) } ?? DemoSession.scenario
        let parsed = try Scenario.parse(text, file: scenario ?? "demo").repeated(sessions, gap: DemoSession.gap)
        let what = sessions == 1 ? "a session" : "\(sessions) sessions in a row"
        Console.line("vigil demo: \(what) at \(JSONLine.number(speed))× on simulated devices (Ctrl-C to stop)")
        let alarmProfile = try profile.map { try ProfileFile.load(path: $0) } ?? .clinicDefault
        let lock = try RoomLock(database: db)
        defer { withExtendedLifetime(lock) {} }
        let store = try Store(path: db, busyTimeout: .milliseconds(250))
        defer { store.close() }
        let identity = RoomIdentity(site: room.site ?? "demo", room: room.room ?? "room-1")
        var demo = DemoRoom(scenario: parsed, speed: speed, deviceFolder: devices, profile: alarmProfile, store: store,
                            identity: identity, mqtt: room.broker(over: nil), audio: room.audio(over: AudioSettings()), controlSocket: room.socket)
        demo.stays = stay
        let demoRoom = demo
        let printer = DemoPrinter { Console.line($0) }
        let hub = LiveHub()
        let pages = web.map { Self.pages($0, store: store, hub: hub, identity: identity, metrics: metrics) }
        if try await UntilSignal.run({
            try await demoRoom.run(output: { printer.handle($0); hub.receive($0) }, alongside: pages)
        }) {
            Console.line("vigil demo: stopped; an unfinished session resumes at the next start")
        }
    }

    /// The staff's pages beside the demo room, with the demo's PINs printed.
    private static func pages(_ web: HTTPSettings, store: Store, hub: LiveHub, identity: RoomIdentity, metrics: RoomMetrics)
        -> @Sendable (RoomAgent<ScaledClock>, RoomMusic?) async -> Void {
        { agent, music in
            await WebRunner.serve(web, agent: agent, music: music, store: store, hub: hub, identity: identity, metrics: metrics,
                                  listening: { Console.line("web     open \($0) and log in (demo PINs: \(DemoLogins.summary))") })
        }
    }
}
